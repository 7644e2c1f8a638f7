"""Reporting periods of an indicator: months ("2020-03") or quarters ("2020-Q1"). Pure, no clock.

A period is turned into a running index (months or quarters since year 0) so that "the next
period", "how many periods apart" and "the straight line from baseline to target" are
integer arithmetic. Quarters are calendar quarters: Q1 is January to March.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from cheplan.domain.months import FIRST_YEAR, LAST_YEAR, MONTH_ABBR

PeriodKind = Literal["month", "quarter"]
_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.ASCII)
PERIOD_PATTERN = r"^(19\d\d|2\d{3})-(0[1-9]|1[0-2]|Q[1-4])$"


def period_problem(value: str) -> str | None:
    """Why `value` is not a period, with a hint; None when it is one."""
    hint = 'write periods as a month "YYYY-MM" (e.g. "2020-03") or a quarter "YYYY-Qn" (e.g. "2020-Q1")'
    month, quarter = _MONTH.fullmatch(value), _QUARTER.fullmatch(value)
    match = month or quarter
    if match is None:
        lowered = re.fullmatch(r"(\d{4})-?q([1-4])", value.strip(), re.ASCII | re.IGNORECASE)
        if lowered:
            hint = f'did you mean "{lowered.group(1)}-Q{lowered.group(2)}"? {hint}'
        return f"{value!r} is not a period: {hint}"
    if not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        return f"{value!r} is not a period: the year must be between {FIRST_YEAR} and {LAST_YEAR}"
    if month and not 1 <= int(month.group(2)) <= 12:
        return f"{value!r} is not a period: there is no month {int(month.group(2))}; {hint}"
    return None


def period_kind(value: str) -> PeriodKind:
    return "quarter" if "Q" in value else "month"


def period_index(value: str) -> int:
    """Months (or quarters) since year 0: consecutive periods of a kind differ by one."""
    year = int(value[:4])
    if period_kind(value) == "quarter":
        return year * 4 + int(value[6]) - 1
    return year * 12 + int(value[5:7]) - 1


def period_at(kind: PeriodKind, index: int) -> str:
    """The period of `kind` with running index `index` (the inverse of `period_index`)."""
    if kind == "quarter":
        year, quarter = divmod(index, 4)
        return f"{year:04d}-Q{quarter + 1}"
    year, month = divmod(index, 12)
    return f"{year:04d}-{month + 1:02d}"


def period_containing(day: date, kind: PeriodKind) -> str:
    if kind == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}-{day.month:02d}"


def period_end(value: str) -> date:
    """The last day of the period: when its figure can first be known."""
    last_month = period_index(value) * 3 + 2 if period_kind(value) == "quarter" else period_index(value)
    year, month = divmod(last_month + 1, 12)
    return date(year, month + 1, 1) - timedelta(days=1)


def human_period(value: str) -> str:
    """ "2020-03" -> "Mar 2020"; "2020-Q1" -> "Q1 2020"."""
    if period_kind(value) == "quarter":
        return f"{value[5:]} {value[:4]}"
    return f"{MONTH_ABBR[int(value[5:7])]} {value[:4]}"


def last_ended(day: date, kind: PeriodKind) -> str:
    """The latest period of `kind` that has ended on or before `day`."""
    current = period_containing(day, kind)
    return current if period_end(current) <= day else period_at(kind, period_index(current) - 1)
