"""Where a carried action came from, and how a plan was closed: one plan year handing over to the next."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from cheplan.domain.fields import Count, IsoDate, Month, Text
from cheplan.domain.source_note import SCHEMA_CONFIG
from cheplan.domain.vocabulary import Status

CROSS_PLAN_SEPARATOR = "#"
"""How an action of a named plan is written on the command line: `2020/21#22`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CarriedFrom:
    """The action of an earlier plan this one carries on, as that plan stood when it closed."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    plan: Text
    """The earlier plan's label, e.g. `2020/21`."""
    action: Count
    """The action's id in the earlier plan."""
    status: Status
    """Its status on the day the earlier plan closed."""
    last_update: IsoDate | None = None
    """The date of its latest progress entry then, if any."""
    baseline_end: Month
    """Its approved end month in the earlier plan."""
    end_agreed: bool = False
    """Whether the board has agreed the action's end in this plan. Until then the action's `end`
    is a placeholder, the period's last month, never an invented date: set the agreed month in
    `end` and this to true."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanClosure:
    """The plan year is over: what was carried into the next plan."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    date: IsoDate
    """The day the plan was closed (the as-of date of the rollover), YYYY-MM-DD."""
    carried: list[Count] = dataclasses.field(default_factory=list)
    """The ids of the unfinished actions carried into the next plan."""
    by_plan: Text
    """The label of the plan that carries them, e.g. `2021/22`."""


def cross_plan_reference(value: str) -> tuple[str, int] | None:
    """`2020/21#22` as (plan label, action id); None when it is not written that way."""
    label, separator, number = value.rpartition(CROSS_PLAN_SEPARATOR)
    if not separator or not label.strip() or not number.isdigit() or not number.isascii():
        return None
    return label.strip(), int(number)


def plan_label(start: str, end: str) -> str:
    """A plan's label from its period: 2020-04..2021-03 -> `2020/21`; within one year, `2021`."""
    first, last = start[:4], end[:4]
    return first if first == last else f"{first}/{last[2:]}"
