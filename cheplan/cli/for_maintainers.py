"""Signatures of the checks maintainers and CI run: validate, the JSON Schema, what an edit changes."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from cheplan.cli.options import (
    DiffFormat,
    NoDefaultRegistersOption,
    PlanOption,
    ProblemFormat,
    RegisterOption,
    chosen_registers,
)
from cheplan.cli.root import app, finish


@app.command()
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
) -> None:
    """Check plans and their registers; report every problem at FILE:LINE:COL.

    Several plan files may be given (as pre-commit does); each is checked and summarised.
    Exit 0 when valid, 1 when problems are found, 2 on a usage error or unreadable file.
    """
    finish(
        "validate",
        plans=[*(plan_files or []), *([plan] if plan else [])],
        registers=chosen_registers(register, no_default_registers),
        format_name=format_name.value if format_name else None,
        strict=strict,
        against=against,
    )


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(metavar="[plan|register]", help="Which file's schema.")] = "plan",
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", metavar="FILE", help="Write it to this file.", show_default=False)
    ] = None,
) -> None:
    """Print the JSON Schema of plan (or register) files, for editors and other validators."""
    finish("schema", kind=kind, out=out)


@app.command()
def diff(
    base: Annotated[str, typer.Argument(metavar="[BASE]", help="Git revision to compare with.")] = "HEAD",
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    format_name: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.text,
) -> None:
    """What an edit changes: the plan in the working tree against the same file at BASE.

    Lists added and removed actions, each changed field in plain words, and the change in
    recommendation coverage. Exit 0, or 2 outside a git repository or for an unknown revision.
    """
    finish(
        "diff",
        base=base,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        format_name=format_name.value,
    )
