"""Signatures of what the board reads: recommendation coverage and the corrections to the sources."""

from enum import StrEnum
from pathlib import Path
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
    RegisterOption,
    ThemeOption,
    chosen_registers,
)
from cheplan.cli.root import app, finish
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS


@app.command()
def trace(
    recommendation_id: Annotated[
        Optional[str],
        typer.Argument(
            metavar="[RECOMMENDATION]", help="Show one recommendation in full, e.g. SELR-5.", show_default=False
        ),
    ] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    source: Annotated[
        Optional[str],
        typer.Option(
            "--source", metavar="CODE", help="Only this register's recommendations, e.g. SELR.", show_default=False
        ),
    ] = None,
    as_of: AsOfOption = None,
    uncovered: Annotated[bool, typer.Option("--uncovered", help="Only recommendations no action implements.")] = False,
    fail_under: Annotated[
        Optional[float],
        typer.Option(
            "--fail-under",
            metavar="PCT",
            min=0,
            max=100,
            help="Exit 1 when coverage is below PCT percent.",
            show_default=False,
        ),
    ] = None,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """Every recommendation, the actions implementing it, their state, and what is not covered.

    States: not covered, dropped (every citing action dropped), overdue, delivered, in progress,
    planned. Exit 1 when the plan has problems (shown, not hidden) or coverage is under --fail-under.
    """
    finish(
        "trace",
        recommendation_id=recommendation_id,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        source=source,
        as_of=as_of,
        uncovered=uncovered,
        fail_under=fail_under,
        format_name=format_name.value,
        limit=limit,
    )


@app.command()
def corrections(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """Where the source documents printed something wrong or doubtful, and what the data records."""
    finish(
        "corrections",
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        format_name=format_name.value,
        limit=limit,
    )


@app.command()
def organisations(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    as_of: AsOfOption = None,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """The partner organisations that lead actions: aliases, and counts of actions, overdue, not reported.

    Actions led by "All" count under every organisation. `--lead` takes an id, a name or an alias.
    """
    finish(
        "organisations",
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        as_of=as_of,
        format_name=format_name.value,
        limit=limit,
    )


@app.command()
def stale(
    days: Annotated[
        int, typer.Option("--days", metavar="N", min=0, max=36_500, help="Stale after N days without an update.")
    ] = DEFAULT_STALE_DAYS,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    as_of: AsOfOption = None,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """Unfinished actions whose latest update is more than N days old, and, separately, started
    actions with no return at all; most neglected first."""
    finish(
        "stale",
        days=days,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        as_of=as_of,
        lead=lead,
        theme=theme,
        format_name=format_name.value,
        limit=limit,
    )


@app.command()
def meetings(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """The board's meetings (the plan's `meetings:`), oldest first: papers due, the window each
    meeting's pack reports on, and the returns round each one closes."""
    finish(
        "meetings",
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        format_name=format_name.value,
        limit=limit,
    )


class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"


@app.command()
def report(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    as_of: AsOfOption = None,
    since: Annotated[
        Optional[str],
        typer.Option(
            "--since",
            metavar="DATE",
            help="The last meeting (exclusive). Default: the meeting before the next one on or after the"
            " as-of date (the plan's meetings), else 3 months before it.",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        Optional[str],
        typer.Option(
            "--until",
            metavar="DATE",
            help="What falls due up to this date. Default: the meeting after the report's, else 3 months"
            " after the as-of date.",
            show_default=False,
        ),
    ] = None,
    lead: Annotated[
        Optional[str],
        typer.Option(
            "--lead",
            "-l",
            metavar="ORG",
            help="Only the actions of ORG (its id, name or an alias).",
            show_default=False,
        ),
    ] = None,
    stale_days: Annotated[
        Optional[int],
        typer.Option(
            "--stale-days",
            metavar="N",
            min=0,
            max=36_500,
            help="RAG: amber when the latest update is more than N days old. Default: the plan's"
            f" reporting.stale_days, else no update since the meeting before last, else {DEFAULT_STALE_DAYS}.",
            show_default=False,
        ),
    ] = None,
    format_name: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.html,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", metavar="FILE", help="Write to FILE instead of stdout.", show_default=False),
    ] = None,
    appendix: Annotated[
        bool, typer.Option("--appendix/--no-appendix", help="End with every action in full (the appendix).")
    ] = True,
) -> None:
    """The board's highlight report: RAG ratings, exceptions, changes since the last meeting,
    what falls due, overdue by partner, coverage, and every action in full.

    HTML is one file (no script, no network) that prints to A4; Markdown has the same content."""
    finish(
        "report",
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        as_of=as_of,
        since=since,
        until=until,
        lead=lead,
        stale_days=stale_days,
        format_name=format_name.value,
        out=out,
        appendix=appendix,
    )


@app.command()
def decide(
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The action number.")],
    agree: Annotated[bool, typer.Option("--agree", help="The board agrees the proposal or ask.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="The board rejects it (needs a --note: why).")] = False,
    end: Annotated[
        Optional[str],
        typer.Option(
            "--end",
            metavar="YYYY-MM",
            help="With --agree: the end month agreed. Default: the month proposed.",
            show_default=False,
        ),
    ] = None,
    ask: Annotated[
        Optional[int],
        typer.Option(
            "--ask",
            metavar="N",
            min=1,
            help="Answer the action's ask N (1: its first), not its proposed end.",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        Optional[str],
        typer.Option("--note", "-n", metavar="TEXT", help="The board's reason.", show_default=False),
    ] = None,
    on_date: Annotated[
        Optional[str],
        typer.Option("--date", metavar="DATE", help="Date of the decision. Default: today.", show_default=False),
    ] = None,
    meeting: Annotated[
        Optional[str],
        typer.Option("--meeting", metavar="DATE", help="The meeting that took it, YYYY-MM-DD.", show_default=False),
    ] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
) -> None:
    """Record the board's decision on an action's proposed end (or, with --ask N, on an ask).

    An agreed proposal takes effect as the action's revised end; a rejected one keeps the
    baseline. The decision is a dated progress entry, validated like any update; recording the
    same decision again changes nothing.
    """
    finish(
        "decide",
        action_id=action_id,
        agree=agree,
        reject=reject,
        end=end,
        ask=ask,
        note=note,
        on_date=on_date,
        meeting=meeting,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
    )
