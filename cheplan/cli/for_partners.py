"""Signatures of what partners receive and send back: returns workbooks and deadline calendars."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cheplan.cli.options import (
    AsOfOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    chosen_registers,
)
from cheplan.cli.root import app, finish

returns_app = typer.Typer(
    name="returns",
    help="Quarterly returns: workbooks partners fill in, and importing what they send back.",
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
app.add_typer(returns_app)


@returns_app.command("export")
def returns_export(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Directory to write the workbooks in.")],
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: Annotated[
        Optional[str],
        typer.Option(
            "--lead", "-l", metavar="ORG", help="Only this organisation (id, name or alias).", show_default=False
        ),
    ] = None,
    as_of: AsOfOption = None,
) -> None:
    """Write one .xlsx returns workbook per organisation (or only --lead's): its unfinished actions."""
    finish(
        "returns_export",
        out=out,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        lead=lead,
        as_of=as_of,
    )


class ReturnsFormat(StrEnum):
    text = "text"
    json = "json"


@returns_app.command("import")
def returns_import(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Returned workbooks (.xlsx), one or more.")],
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    apply: Annotated[bool, typer.Option("--apply", help="Record the entries (one atomic write of the plan).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Record conflicting rows anyway, as dated entries.")] = False,
    as_of: AsOfOption = None,
    format_name: Annotated[ReturnsFormat, typer.Option("--format", "-f", help="Output format.")] = ReturnsFormat.text,
    accept_other_plan: Annotated[
        bool, typer.Option("--accept-other-plan", help="Import workbooks exported from a plan with another title.")
    ] = False,
) -> None:
    """Show what returned workbooks would record; with --apply, record it all or nothing.

    Problems are reported at FILE!SHEET!CELL. Exit 0 when clean, 1 on any problem or conflict
    (nothing written), 2 when a file cannot be read as a workbook.
    """
    finish(
        "returns_import",
        files=files,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        apply=apply,
        force=force,
        as_of=as_of,
        format_name=format_name.value,
        accept_other_plan=accept_other_plan,
    )


@app.command("calendar")
def calendar_feed(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: Annotated[
        Optional[str],
        typer.Option(
            "--lead", "-l", metavar="ORG", help="One organisation's feed (id, name or alias).", show_default=False
        ),
    ] = None,
    as_of: AsOfOption = None,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", metavar="FILE", help="Write here, not to stdout.", show_default=False),
    ] = None,
) -> None:
    """An iCalendar (.ics) feed: an all-day event on each unfinished action's effective end date."""
    finish(
        "calendar",
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        lead=lead,
        as_of=as_of,
        out=out,
    )
