"""`cheplan measure ID --period P --value V`: record one indicator value by hand.

Goes through the same writer as the returns' Measures sheet (:mod:`cheplan.editing.indicator_values`):
locked, validated, atomic, and a value already on record is not added twice.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import NoDefaultRegistersOption, PlanOption, RegisterOption, chosen_registers
from cheplan.domain.errors import UsageError
from cheplan.domain.periods import period_problem


def parse_value(text: str) -> int | float:
    """A number as typed: 12, 35.5, 1,204 (thousands commas allowed); never NaN or infinity."""
    cleaned = text.strip().replace(",", "")
    if not cleaned.isascii():  # int() would read "１２" as 12
        raise UsageError(f"--value: {text!r} is not a number (type it in ASCII digits)")
    try:
        value: int | float = int(cleaned)
    except ValueError:
        try:
            value = float(cleaned)
        except ValueError:
            raise UsageError(f"--value: {text!r} is not a number") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise UsageError(f"--value: {text!r} is not a finite number")
    return value


def _period(option: str, text: str | None) -> str | None:
    if text is None:
        return None
    problem = period_problem(text.strip())
    if problem is not None:
        raise UsageError(f"{option}: {problem}")
    return text.strip()


PeriodText = Annotated[
    Optional[str],
    typer.Option(
        "--period", metavar="PERIOD", help="The period the value is for: 2021-03 or 2021-Q1.", show_default=False
    ),
]


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
) -> int:
    """Record one indicator value in the plan file, in place (validated, atomic; never twice).

    A correction (--corrects PERIOD, with a --note) is a new entry: the value it corrects stays on record.
    """
    from cheplan.cli.commands.output import require_utf8

    require_utf8(("--note", note), ("--organisation", organisation))
    registers = chosen_registers(register, no_default_registers)
    return record(indicator_id, period, value, note, organisation, corrects, plan, registers)


def record(
    indicator_id: str,
    period: str | None,
    value: str,
    note: str | None,
    organisation: str | None,
    corrects: str | None,
    plan: Path | None,
    registers: list[Path] | None,
) -> int:
    """Check the options, then append the value through the indicator writer; say what the plan now holds."""
    from cheplan.domain.indicators import IndicatorValue
    from cheplan.editing.indicator_values import record_values
    from cheplan.loading.locate import PLAN_ENV, resolve_plan

    if period is None and corrects is None:
        raise UsageError("give --period (the period the value is for), or --corrects PERIOD for a correction")
    if corrects is not None and not (note or "").strip():
        raise UsageError("--corrects needs a --note saying why the earlier value was wrong")
    entry = IndicatorValue(
        period=_period("--period", period) if corrects is None else None,
        corrects=_period("--corrects", corrects),
        value=parse_value(value),
        note=(note or "").strip(),
        organisation=(organisation or "").strip() or None,
    )
    if corrects is not None and period is not None and period.strip() != corrects.strip():
        raise UsageError(
            f"--period {period} and --corrects {corrects} differ; a correction is for the period it corrects"
        )
    if plan is None and not os.environ.get(PLAN_ENV):
        raise UsageError(
            "measure writes to a plan file: name it with --plan FILE (or set CHEPLAN_PLAN);"
            " cheplan does not record values in the copy of the plan it ships with"
        )
    outcome = record_values(resolve_plan(plan), [(indicator_id, entry)], registers=registers, cache=True)
    for problem in outcome.warnings:
        print(problem.as_text(), file=sys.stderr)
    for found in outcome.entries:
        said = f"{found.entry.value} for {found.entry.for_period}" + (" (a correction)" if found.entry.corrects else "")
        if found.recorded:
            print(f"Indicator {found.indicator_id}: {said}, recorded in {outcome.plan_name}.")
        else:
            print(
                f"Indicator {found.indicator_id}: {said} is already on record in {outcome.plan_name}; nothing changed."
            )
    return EXIT_OK
