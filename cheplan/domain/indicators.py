"""Outcome indicators: what the plan measures to tell whether it is making a difference.

Each indicator has a baseline and a target (a value at a period), an owner organisation that
reports it, the actions and recommendations it measures, and an append-only list of values.
A value is never overwritten: a correction is a later entry with `corrects: PERIOD` and a
note saying why. Like the rest of the model these dataclasses are both domain and schema.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from cheplan.domain.fields import AnyText, Count, Number, Reference, ReportingPeriod, Slug, Text
from cheplan.domain.source_note import SCHEMA_CONFIG

Unit = Literal["count", "percent", "rate per 1,000", "rate per 100,000", "days", "score"]
Better = Literal["up", "down"]
# What a value in each unit can be: (lowest, highest or None); a count is also whole.
UNIT_RANGES: dict[str, tuple[float | None, float | None]] = {
    "count": (0, None),
    "percent": (0, 100),
    "rate per 1,000": (0, 1_000),
    "rate per 100,000": (0, 100_000),
    "days": (0, None),
    "score": (None, None),
}
WHOLE_UNITS = frozenset({"count"})


def unit_problem(unit: str, value: float) -> str | None:
    """Why `value` cannot be a figure in `unit` (a percent over 100, a negative count); None if it can."""
    low, high = UNIT_RANGES.get(unit, (None, None))
    if low is not None and value < low:
        return f"{value!r} is below {low!r}, the least a {unit} can be"
    if high is not None and value > high:
        return f"{value!r} is over {high:,}, the most a {unit} can be"
    if unit in WHOLE_UNITS and value != int(value):
        return f"{value!r} is not a whole number, and a {unit} is"
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Baseline:
    """Where the indicator started: a value and the period it is for."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    value: Number
    """The baseline figure."""
    period: ReportingPeriod
    """The period of the baseline figure: a month YYYY-MM or a quarter YYYY-Qn. Later values use the same kind."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """Where the indicator should be, and by when."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    value: Number
    """The target figure."""
    by: ReportingPeriod
    """The period by which the target should be reached; after the baseline's."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorValue:
    """One reported figure. Append-only: a correction is a new entry with `corrects`."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    period: ReportingPeriod | None = None
    """The period the figure is for (omit it in a correction, which names the period in `corrects`)."""
    value: Number
    """The figure, in the indicator's unit."""
    note: AnyText = ""
    """Anything a reader needs to know about the figure; required for a correction (why it changed)."""
    organisation: Slug | None = None
    """The id of the organisation that reported the figure."""
    corrects: ReportingPeriod | None = None
    """The period whose earlier figure this entry corrects; the earlier entry stays on record."""

    @property
    def for_period(self) -> str:
        """The period the figure counts for: the corrected one, else its own."""
        return self.corrects or self.period or ""

    def as_data(self) -> dict[str, Any]:
        """The entry as the plan file holds it once read (absent fields left out)."""
        data: dict[str, Any] = {"period": self.period, "value": self.value, "note": self.note}
        data |= {"organisation": self.organisation, "corrects": self.corrects}
        return {key: value for key, value in data.items() if value is not None and value != ""}


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator:
    """A measured outcome: a figure with a baseline and a target, reported each period."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    id: Slug
    """Short id, unique in the plan, e.g. `knife-injuries-under-25`; what `cheplan measure` takes."""
    title: Text
    """What is measured, in words a board reads."""
    unit: Unit
    """The unit: count, percent, rate per 1,000, rate per 100,000, days or score."""
    better: Better
    """Which way is better: `up` (more is better) or `down` (less is better)."""
    baseline: Baseline
    """The starting figure and its period (required: an indicator without a baseline shows nothing)."""
    target: Target
    """The target figure and the period it should be reached by."""
    owner: Slug
    """The id of the organisation that reports the figure (from the plan's `organisations`)."""
    source: Text
    """Where the figure comes from, e.g. the dataset or system."""
    actions: list[Count] = dataclasses.field(default_factory=list)
    """The numbers of the actions whose outcome this measures."""
    recommendations: list[Reference] = dataclasses.field(default_factory=list)
    """The recommendations this measures, SOURCE-ITEM (e.g. SELR-1)."""
    values: list[IndicatorValue] = dataclasses.field(default_factory=list)
    """Reported figures, oldest first; append-only (`cheplan measure`, or a returns workbook's Measures sheet)."""


# How cheplan.domain.model.NESTED rebuilds these from validated raw data: field -> (class, is_list).
INDICATOR_NESTED: dict[type, dict[str, tuple[type, bool]]] = {
    Baseline: {},
    Target: {},
    IndicatorValue: {},
    Indicator: {"baseline": (Baseline, False), "target": (Target, False), "values": (IndicatorValue, True)},
}
