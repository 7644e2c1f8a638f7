"""`cheplan measure ID --period P --value V`: record one indicator value by hand.

Goes through the same writer as the returns' Measures sheet (:mod:`cheplan.editing.indicator_values`):
locked, validated, atomic, and a value already on record is not added twice.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import require_utf8
from cheplan.domain.errors import UsageError
from cheplan.domain.indicators import IndicatorValue
from cheplan.domain.periods import period_problem
from cheplan.loading.locate import PLAN_ENV, resolve_plan


def parse_value(text: str) -> int | float:
    """A number as typed: 12, 35.5, 1,204 (thousands commas allowed); never NaN or infinity."""
    cleaned = text.strip().replace(",", "")
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


def run(
    *,
    indicator_id: str,
    period: str | None,
    value: str,
    note: str | None,
    organisation: str | None,
    corrects: str | None,
    plan: Path | None,
    registers: list[Path] | None,
) -> int:
    require_utf8(("--note", note), ("--organisation", organisation))
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
    from cheplan.editing.indicator_values import record_values

    outcome = record_values(resolve_plan(plan), [(indicator_id, entry)], registers=registers)
    import sys

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
