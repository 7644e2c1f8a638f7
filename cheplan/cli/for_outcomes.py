"""Signatures of the outcome indicators: `indicators` (where each stands) and `measure` (record a value)."""

from typing import Annotated, Optional

import typer

from cheplan.cli.options import (
    AsOfOption,
    FormatOption,
    NoDefaultRegistersOption,
    OutputFormat,
    PlanOption,
    RegisterOption,
    chosen_registers,
)
from cheplan.cli.root import app, finish

PeriodText = Annotated[
    Optional[str],
    typer.Option(
        "--period", metavar="PERIOD", help="The period the value is for: 2021-03 or 2021-Q1.", show_default=False
    ),
]


@app.command()
def indicators(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    format_name: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
) -> None:
    """Outcome indicators: baseline, target, latest value, change, status against target, owner.

    On track: the latest value is at or beyond the straight line from baseline to target at
    its period, in the better direction. No data: the latest value is more than two periods old.
    """
    finish(
        "indicators",
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        format_name=format_name.value,
        as_of=as_of,
    )


@app.command()
def measure(
    indicator_id: Annotated[str, typer.Argument(metavar="ID", help="The indicator id.")],
    value: Annotated[str, typer.Option("--value", metavar="NUMBER", help="The figure, in the indicator's unit.")],
    period: PeriodText = None,
    note: Annotated[
        Optional[str], typer.Option("--note", "-n", metavar="TEXT", help="A note on the figure.", show_default=False)
    ] = None,
    organisation: Annotated[
        Optional[str],
        typer.Option("--organisation", metavar="ORG", help="Id of the organisation reporting it.", show_default=False),
    ] = None,
    corrects: Annotated[
        Optional[str],
        typer.Option(
            "--corrects",
            metavar="PERIOD",
            help="Correct the value on record for PERIOD (needs a --note saying why); the old one stays on record.",
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
) -> None:
    """Record one indicator value in the plan file, in place (validated, atomic; never twice)."""
    finish(
        "measure",
        indicator_id=indicator_id,
        period=period,
        value=value,
        note=note,
        organisation=organisation,
        corrects=corrects,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
    )
