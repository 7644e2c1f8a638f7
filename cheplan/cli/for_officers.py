"""Signatures of the officer's everyday commands: list, show, what is overdue or due, record progress."""

from typing import Annotated, Optional

import typer

from cheplan.cli.options import (
    AsOfOption,
    FormatOption,
    LeadOption,
    LimitOption,
    NoDefaultRegistersOption,
    OutputFormat,
    PlanOption,
    RagChoice,
    RegisterOption,
    StaleDaysOption,
    StatusChoice,
    ThemeOption,
    chosen_registers,
)
from cheplan.cli.root import app, finish
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS


@app.command()
def actions(
    action_id: Annotated[
        Optional[int], typer.Argument(metavar="[ID]", help="Show this action in full.", show_default=False)
    ] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    status: Annotated[
        Optional[list[StatusChoice]],
        typer.Option("--status", "-s", help="Only actions with this status; repeatable.", show_default=False),
    ] = None,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
    as_of: AsOfOption = None,
    stale_days: StaleDaysOption = DEFAULT_STALE_DAYS,
) -> None:
    """List the plan's actions, or show one action in full with the recommendations it implements.

    Status and last update are as on record on --as-of (default today); JSON adds each action's
    RAG rating on that date."""
    finish(
        "actions",
        action_id=action_id,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        lead=lead,
        theme=theme,
        statuses=[s.value for s in status] if status else None,
        format_name=format_name.value,
        limit=limit,
        as_of=as_of,
        stale_days=stale_days,
    )


@app.command()
def show(
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The action number.")],
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    format_name: FormatOption = OutputFormat.table,
) -> None:
    """Show one action in full, with the text of each recommendation it implements."""
    finish(
        "actions",
        action_id=action_id,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        lead=None,
        theme=None,
        statuses=None,
        format_name=format_name.value,
        limit=None,
    )


@app.command()
def overdue(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    as_of: AsOfOption = None,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    by_lead: Annotated[bool, typer.Option("--by-lead", help="Group per lead organisation, with counts.")] = False,
    format_name: FormatOption = OutputFormat.table,
    fail_if_any: Annotated[bool, typer.Option("--fail-if-any", help="Exit 1 when anything is overdue.")] = False,
    limit: LimitOption = None,
) -> None:
    """Actions past their end month and not finished, most overdue first.

    An action is due on the last day of its end month. Exit 0; with --fail-if-any, exit 1 when
    anything is overdue. JSON lists one object per action (`lead` all leads, `matched_leads`).
    """
    finish(
        "overdue",
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        as_of=as_of,
        lead=lead,
        theme=theme,
        by_lead=by_lead,
        format_name=format_name.value,
        fail_if_any=fail_if_any,
        limit=limit,
    )


@app.command()
def due(
    within: Annotated[
        Optional[int],
        typer.Option(
            "--within",
            metavar="DAYS",
            min=0,
            max=36_500,
            help="Due within this many days (default 30).",
            show_default=False,
        ),
    ] = None,
    before: Annotated[
        Optional[str],
        typer.Option("--before", metavar="DATE", help="Due on or before this date, YYYY-MM-DD.", show_default=False),
    ] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    as_of: AsOfOption = None,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
    stale_days: StaleDaysOption = DEFAULT_STALE_DAYS,
) -> None:
    """Unfinished actions coming due in a window, soonest first, with days left.

    The window runs from the as-of date to --before DATE, or --within DAYS of it (default 30 days).
    """
    finish(
        "due",
        within=within,
        before=before,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        as_of=as_of,
        lead=lead,
        theme=theme,
        format_name=format_name.value,
        limit=limit,
        stale_days=stale_days,
    )


@app.command()
def update(
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The action number.")],
    status: Annotated[
        Optional[StatusChoice],
        typer.Option(
            "--status",
            "-s",
            help="The action's status as of the date. Default: the status on record.",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        Optional[str],
        typer.Option("--note", "-n", metavar="TEXT", help="What was done, or why it was dropped.", show_default=False),
    ] = None,
    on_date: Annotated[
        Optional[str],
        typer.Option(
            "--date", metavar="DATE", help="Date of the report, YYYY-MM-DD. Default: today.", show_default=False
        ),
    ] = None,
    by: Annotated[
        Optional[str],
        typer.Option("--by", metavar="WHO", help="Who reports it (organisation or officer).", show_default=False),
    ] = None,
    revised_end: Annotated[
        Optional[str],
        typer.Option(
            "--revised-end",
            metavar="YYYY-MM",
            help="A board-agreed revised end month (needs a --note: who agreed it, when, why).",
            show_default=False,
        ),
    ] = None,
    rag: Annotated[
        Optional[RagChoice],
        typer.Option("--rag", help="The lead's own RAG rating (needs a --note giving the reason).", show_default=False),
    ] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
) -> None:
    """Record progress on an action: append a dated entry to the plan file, in place.

    Comments, order and formatting are kept; the file is replaced atomically, and only if
    the result validates. An entry already on record is not added again.
    """
    finish(
        "update",
        action_id=action_id,
        status=status.value if status else None,
        note=note,
        on_date=on_date,
        by=by,
        revised_end=revised_end,
        rag=rag.value if rag else None,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
    )
