"""`cheplan validate`: every problem at once, at file:line:col, with exit codes CI can trust."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, error
from cheplan.domain.errors import UnreadableInputError, UsageError
from cheplan.domain.problems import Problem, sort_problems
from cheplan.domain.safe_text import safe_file_name
from cheplan.domain.words import plural
from cheplan.loading.load import Validation, validate_paths
from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
from cheplan.outputs.problem_formats import RENDERERS


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def summary(validation: Validation) -> str:
    actions = len(validation.plan.actions) if validation.plan else 0
    counts = validation.counts().words()
    line = f"{plural(actions, 'action')}, {counts}"
    if validation.plan is None:
        line = f"plan not readable as a plan, {counts}"
    notes = validation.source_notes
    if notes:
        line += f" ({notes} source corrections recorded: see `cheplan corrections`)"
    return line


def exit_code(validation: Validation, *, strict: bool) -> int:
    """Errors fail; warnings fail only under --strict."""
    failed = bool(validation.errors) or (strict and bool(validation.warnings))
    return EXIT_PROBLEMS if failed else EXIT_OK


def validate_one(plan_path: Path, register_paths: list[Path], against: str | None) -> Validation:
    validation = validate_paths(plan_path, register_paths, today=date.today())  # for progress-in-future
    if against is not None:
        from cheplan.loading.git_revision import load_versions
        from cheplan.questions.edit_rules import edit_problems

        validation.problems = sort_problems(
            [*validation.problems, *edit_problems(load_versions(plan_path, against), validation)]
        )
    return validation


def _unique(problems: list[Problem]) -> list[Problem]:
    """A register checked with each of several plans reports its problems once."""
    return list(dict.fromkeys(problems))


def run(
    *,
    plans: list[Path],
    registers: list[Path] | None,
    format_name: str | None,
    strict: bool,
    against: str | None = None,
) -> int:
    plan_paths = plans or [resolve_plan(None)]
    register_paths = resolve_registers(registers)
    several = len(plan_paths) > 1
    problems: list[Problem] = []
    summaries: list[str] = []
    worst = EXIT_OK
    for plan_path in plan_paths:
        try:
            validation = validate_one(plan_path, register_paths, against)
        except (UnreadableInputError, UsageError) as exc:
            if not several:
                raise
            # One unreadable file among several: report it and still check the others.
            error(str(exc))
            worst = EXIT_USAGE
            continue
        problems += validation.problems
        prefix = f"{safe_file_name(display_name(plan_path))}: " if several else ""
        summaries.append(prefix + summary(validation))
        worst = max(worst, exit_code(validation, strict=strict))
    sys.stdout.write(RENDERERS[format_name or default_format()](_unique(problems)))
    sys.stdout.flush()
    for line in summaries:
        print(line, file=sys.stderr)
    return worst
