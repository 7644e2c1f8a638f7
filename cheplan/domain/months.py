"""Calendar arithmetic on "YYYY-MM" months and ISO dates. Pure functions, no clock."""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

# ASCII digits only, whole string only: "２０２０-０９" or "2020-09\n" are not months, and
# dates must compare correctly as text.
MONTH_RE = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
# A plan's dates lie in this range; outside it a date is a typo (and year 0 cannot be computed with).
FIRST_YEAR, LAST_YEAR = 1900, 2999
# "Apr-20", the form the source documents print, so the error can suggest the conversion.
_PRINTED_MONTH_RE = re.compile(r"^([A-Za-z]{3})-(\d{2})$")
# English month abbreviations, as the sources print them (`calendar.month_abbr` would follow the
# locale, and importing calendar costs every command its start-up time).
MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ABBR = {name.lower(): number for number, name in enumerate(MONTH_ABBR) if name}


def month_problem(value: str) -> str | None:
    """Why `value` is not a "YYYY-MM" month, with a hint; None when it is one."""
    match = MONTH_RE.fullmatch(value)
    if match and 1 <= int(match.group(2)) <= 12 and FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        return None
    hint = 'write months as "YYYY-MM", e.g. "2020-09"'
    printed = _PRINTED_MONTH_RE.match(value)
    if printed and printed.group(1).lower() in _ABBR:
        month = _ABBR[printed.group(1).lower()]
        hint = f'did you mean "20{printed.group(2)}-{month:02d}"? {hint}'
    elif DATE_RE.fullmatch(value):
        hint = f'did you mean "{value[:7]}"? {hint}'
    elif match and not 1 <= int(match.group(2)) <= 12:
        hint = f"there is no month {int(match.group(2))}; {hint}"
    elif match:
        hint = f"the year must be between {FIRST_YEAR} and {LAST_YEAR}; {hint}"
    return f"{value!r} is not a month: {hint}"


def date_problem(value: str) -> str | None:
    """Why `value` is not an ISO calendar date, with a hint; None when it is one."""
    match = DATE_RE.fullmatch(value)
    hint = 'write dates as "YYYY-MM-DD", e.g. "2020-09-30"'
    if not match:
        return f"{value!r} is not a date: {hint}"
    if not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        return f"{value!r} is not a date in range: the year must be between {FIRST_YEAR} and {LAST_YEAR}"
    try:
        date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        return f"{value!r} is not a real date ({exc}): {hint}"
    return None


def parse_month(value: str) -> tuple[int, int]:
    return int(value[:4]), int(value[5:7])


@functools.cache  # a plan has a few dozen distinct months and asks for each per action
# Asked once per action by every question (a plan has few distinct end months).
@functools.lru_cache(maxsize=4096)
def month_end(value: str) -> date:
    """The last day of a "YYYY-MM" month: when an action ending that month is due."""
    year, month = parse_month(value)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def months_between(earlier: str, later: str) -> int:
    """How many months `later` is after `earlier` (negative when before)."""
    (y1, m1), (y2, m2) = parse_month(earlier), parse_month(later)
    return (y2 - y1) * 12 + (m2 - m1)


def human_month(value: str) -> str:
    """ "2020-09" -> "Sep 2020", for sentences a board reads."""
    year, month = parse_month(value)
    return f"{MONTH_ABBR[month]} {year}"


def parse_date(value: str) -> date:
    """Parse an ISO date the user typed; raises ValueError with a hint."""
    problem = date_problem(value)
    if problem:
        raise ValueError(problem)
    return date.fromisoformat(value)


def shift_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), clamped to the end of a short month."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
