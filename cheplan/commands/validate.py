"""`cheplan validate`: every problem at once, at file:line:col, with exit codes CI can trust."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cheplan.commands import EXIT_OK, EXIT_PROBLEMS
from cheplan.load import Validation, validate_paths
from cheplan.paths import resolve_plan, resolve_registers
from cheplan.reporters import REPORTERS


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def summary(validation: Validation) -> str:
    actions = len(validation.plan.actions) if validation.plan else 0
    errors, warnings = len(validation.errors), len(validation.warnings)
    if warnings:
        counts = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    else:
        counts = f"{errors} problem{'s' if errors != 1 else ''}"
    line = f"{actions} actions, {counts}"
    if validation.plan is None:
        line = f"plan not readable as a plan, {counts}"
    notes = validation.source_notes
    if notes:
        line += f" ({notes} source corrections recorded: see `cheplan corrections`)"
    return line


def run(
    *,
    plan: Path | None,
    registers: list[Path] | None,
    format_name: str | None,
    strict: bool,
    against: str | None = None,
) -> int:
    plan_path = resolve_plan(plan)
    validation = validate_paths(plan_path, resolve_registers(registers))
    if against is not None:
        from cheplan.history import edit_problems

        validation.problems = sorted(
            [*validation.problems, *edit_problems(plan_path, against, validation)], key=lambda p: p.sort_key()
        )
    fmt = format_name or default_format()
    sys.stdout.write(REPORTERS[fmt](validation.problems))
    sys.stdout.flush()
    print(summary(validation), file=sys.stderr)
    failed = bool(validation.errors) or (strict and bool(validation.warnings))
    return EXIT_PROBLEMS if failed else EXIT_OK
