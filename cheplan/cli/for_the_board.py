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
    StaleDaysOption,
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
            help="The last meeting. Default: 3 months before the as-of date.",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        Optional[str],
        typer.Option(
            "--until",
            metavar="DATE",
            help="The next meeting. Default: 3 months after the as-of date.",
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
    stale_days: StaleDaysOption = DEFAULT_STALE_DAYS,
    format_name: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.html,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", metavar="FILE", help="Write to FILE instead of stdout.", show_default=False),
    ] = None,
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
    )
