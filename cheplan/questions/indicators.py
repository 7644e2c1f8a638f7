"""Where each outcome indicator stands against its target: the one rule, stated once.

An indicator is *on track* when its latest value is at or beyond the straight line from the
baseline to the target at that value's period, in the indicator's `better` direction (after
the target period, the line stays at the target); *off track* when it is not; and has *no
data* when it has no value, or its latest value is more than two periods older than the
last period ended by the as-of date. Corrections replace the value of the period they
correct; the corrected entry stays on record. Exact arithmetic (fractions), so a value on
the line is on track, never lost to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Literal

from cheplan.domain.indicators import Indicator, IndicatorValue
from cheplan.domain.model import Plan
from cheplan.domain.periods import last_ended, period_at, period_index, period_kind

IndicatorStatus = Literal["on_track", "off_track", "no_data"]
STATUS_WORDS: dict[str, str] = {"on_track": "on track", "off_track": "off track", "no_data": "no data"}
STALE_PERIODS = 2
STATUS_RULE = (
    "Indicator status: on track when the latest value is at or beyond the straight line from the baseline"
    " to the target at that period, in the better direction; off track when it is not; no data when there"
    f" is no value, or the latest is more than {STALE_PERIODS} periods older than the last period ended."
)


@dataclass(frozen=True)
class PeriodValue:
    """The figure that counts for one period, and the entries behind it."""

    period: str
    value: int | float
    entry: IndicatorValue
    corrected: tuple[IndicatorValue, ...] = ()  # earlier entries for the period, kept on record


@dataclass(frozen=True)
class IndicatorStanding:
    indicator: Indicator
    series: tuple[PeriodValue, ...]  # one per period up to the as-of date, oldest first
    status: IndicatorStatus
    expected: Fraction | None  # the straight line's value at the latest period

    @property
    def latest(self) -> PeriodValue | None:
        return self.series[-1] if self.series else None

    @property
    def previous(self) -> PeriodValue | None:
        return self.series[-2] if len(self.series) > 1 else None

    @property
    def change(self) -> int | float | None:
        """The latest value minus the one before it (the baseline, for the first); None without a value."""
        if self.latest is None:
            return None
        before = self.previous.value if self.previous is not None else self.indicator.baseline.value
        return _plain(Fraction(self.latest.value) - Fraction(before))


def _plain(number: Fraction) -> int | float:
    return int(number) if number.denominator == 1 else float(number)


def series_of(indicator: Indicator, up_to: str | None = None) -> tuple[PeriodValue, ...]:
    """Each period's figure (the last correction wins), oldest period first; only up to `up_to`."""
    by_period: dict[str, PeriodValue] = {}
    for entry in indicator.values:
        period = entry.for_period
        if not period or (up_to is not None and period_index(period) > period_index(up_to)):
            continue
        earlier = by_period.get(period)
        kept = (*earlier.corrected, earlier.entry) if earlier is not None else ()
        by_period[period] = PeriodValue(period, entry.value, entry, kept)
    return tuple(sorted(by_period.values(), key=lambda found: period_index(found.period)))


def expected_at(indicator: Indicator, period: str) -> Fraction:
    """The straight line from baseline to target, at `period` (held at the target after it)."""
    start, end = period_index(indicator.baseline.period), period_index(indicator.target.by)
    at = min(max(period_index(period), start), end)
    base, goal = Fraction(indicator.baseline.value), Fraction(indicator.target.value)
    return base + (goal - base) * Fraction(at - start, max(end - start, 1))


def standing(indicator: Indicator, as_of: date) -> IndicatorStanding:
    kind = period_kind(indicator.baseline.period)
    ended = last_ended(as_of, kind)
    series = series_of(indicator, ended)
    if not series or period_index(ended) - period_index(series[-1].period) > STALE_PERIODS:
        return IndicatorStanding(indicator, series, "no_data", None)
    line = expected_at(indicator, series[-1].period)
    value = Fraction(series[-1].value)
    ahead = value >= line if indicator.better == "up" else value <= line
    return IndicatorStanding(indicator, series, "on_track" if ahead else "off_track", line)


def standings(plan: Plan, as_of: date) -> list[IndicatorStanding]:
    return [standing(indicator, as_of) for indicator in plan.indicators]


def status_counts(found: list[IndicatorStanding]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_WORDS, 0)
    for one in found:
        counts[one.status] += 1
    return counts


def periods_due(indicator: Indicator, as_of: date, most: int = 8) -> list[str]:
    """The periods ended by `as_of` after the indicator's last value (or baseline): what a return asks for."""
    kind = period_kind(indicator.baseline.period)
    ended = period_index(last_ended(as_of, kind))
    series = series_of(indicator)
    after = period_index(series[-1].period if series else indicator.baseline.period)
    first = max(after + 1, ended - most + 1)
    return [period_at(kind, index) for index in range(first, ended + 1)]


def find_indicator(plan: Plan, indicator_id: str) -> Indicator | None:
    return next((i for i in plan.indicators if i.id == indicator_id), None)


def measures_of(plan: Plan) -> dict[str, list[Indicator]]:
    """Recommendation reference -> the indicators that name it in their `recommendations`.

    Only direct links count: an indicator of one action's outcome does not by itself measure
    every recommendation that action cites."""
    found: dict[str, list[Indicator]] = {}
    for indicator in plan.indicators:
        for reference in dict.fromkeys(indicator.recommendations):
            found.setdefault(reference, []).append(indicator)
    return found
