"""`cheplan validate`: every problem at once, at file:line:col, with exit codes CI can trust."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, error
from cheplan.cli.options import NoDefaultRegistersOption, PlanOption, RegisterOption, chosen_registers
from cheplan.domain.errors import UnreadableInputError, UsageError
from cheplan.outputs.formats import ProblemFormat

if TYPE_CHECKING:
    from cheplan.domain.problems import Problem
    from cheplan.loading.load import Validation


def validate(
    plan_files: Annotated[
        Optional[list[Path]],
        typer.Argument(metavar="[PLAN]...", help="Plan file(s) (default as --plan).", show_default=False),
    ] = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    format_name: Annotated[
        Optional[ProblemFormat],
        typer.Option(
            "--format",
            "-f",
            help="text (default), github (annotations; default when GITHUB_ACTIONS=true) or json.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    against: Annotated[
        Optional[str],
        typer.Option(
            "--against",
            metavar="REV",
            help=(
                "Also apply the edit rules against the plan at this git revision (one commit): a deleted action,"
                " a deleted or rewritten progress entry or a moved end month is an error; an unlinked"
                " recommendation is a warning."
            ),
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
    earlier: Annotated[
        Optional[list[Path]],
        typer.Option(
            "--earlier",
            metavar="FILE",
            help="An earlier year's plan: each `carried_from` naming it must point to a real action there.",
            show_default=False,
        ),
    ] = None,
) -> int:
    """Check plans and their registers; report every problem at FILE:LINE:COL.

    Several plan files may be given (as pre-commit does); each is checked and summarised.
    Exit 0 when valid, 1 when problems are found, 2 on a usage error or unreadable file.
    """
    plans = [*(plan_files or []), *([plan] if plan else [])]
    registers = chosen_registers(register, no_default_registers)
    return validate_all(
        plans, registers, format_name or default_format(), strict=strict, against=against, earlier=earlier or []
    )


def validate_all(
    plans: list[Path],
    registers: list[Path] | None,
    format_name: ProblemFormat,
    *,
    strict: bool,
    against: str | None,
    earlier: list[Path] | None = None,
) -> int:
    """Each plan validated and summarised on stderr; the problems of all of them on stdout."""
    from cheplan.domain.safe_text import safe_file_name
    from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
    from cheplan.outputs.formats import renderer

    plan_paths = plans or [resolve_plan(None)]
    register_paths = resolve_registers(registers)
    several = len(plan_paths) > 1
    problems: list[Problem] = []
    summaries: list[str] = []
    worst = EXIT_OK
    for plan_path in plan_paths:
        try:
            validation = validate_one(plan_path, register_paths, against, earlier or [])
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
    sys.stdout.write(renderer(format_name)(_unique(problems)))
    sys.stdout.flush()
    for line in summaries:
        print(line, file=sys.stderr)
    return worst


def default_format() -> ProblemFormat:
    return ProblemFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else ProblemFormat.text


def summary(validation: Validation) -> str:
    from cheplan.domain.words import plural

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


def validate_one(
    plan_path: Path, register_paths: list[Path], against: str | None, earlier: list[Path] | None = None
) -> Validation:
    from datetime import date

    from cheplan.domain.problems import sort_problems
    from cheplan.loading.load import validate_paths

    # Today, for the progress-in-future check.
    validation = validate_paths(plan_path, register_paths, today=date.today(), cache=True, keep_document=bool(against))
    if against is not None:
        from cheplan.loading.git_revision import load_versions
        from cheplan.questions.edit_rules import edit_problems

        # The file as validation parsed it: parsed once, not twice (at 100,000 actions, 2 s and 150 MiB).
        versions = load_versions(plan_path, against, new=validation.plan_document)
        validation.plan_document = None  # the report that follows needs only the problems
        validation.problems = sort_problems([*validation.problems, *edit_problems(versions, validation)])
    if earlier and validation.plan is not None:
        from cheplan.loading.carried_checks import carried_problems, earlier_plans

        found = carried_problems(plan_path, validation.plan, earlier_plans(earlier))
        validation.problems = sort_problems([*validation.problems, *found])
    return validation


def _unique(problems: list[Problem]) -> list[Problem]:
    """A register checked with each of several plans reports its problems once."""
    return list(dict.fromkeys(problems))
