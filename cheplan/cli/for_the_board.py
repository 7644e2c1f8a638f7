"""Signatures of what the board reads: recommendation coverage and the corrections to the sources."""

from typing import Annotated, Optional

import typer

from cheplan.cli.options import (
    AsOfOption,
    FormatOption,
    LimitOption,
    NoDefaultRegistersOption,
    OutputFormat,
    PlanOption,
    RegisterOption,
    chosen_registers,
)
from cheplan.cli.root import app, finish


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
        typer.Option("--source", help="Only this register's recommendations, e.g. SELR.", show_default=False),
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
