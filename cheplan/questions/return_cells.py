"""What a cell of a returned workbook says, read the way people type into spreadsheets.

Each reader takes a cell's value (text, a number, a date cell from Excel or LibreOffice) and
returns the value cheplan records, or raises :class:`CellError` with the sentence to show at
that cell. Nothing here guesses silently: "Done" is not read as complete, it is a problem
with a suggestion.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from cheplan.domain import caps
from cheplan.domain.months import month_problem
from cheplan.domain.safe_text import first_hidden
from cheplan.domain.vocabulary import STATUS_LABELS, STATUSES, Rag, Status

# Words partners use for a status, offered as "did you mean" (never accepted silently).
_SYNONYMS: dict[str, str] = {
    "done": "complete",
    "completed": "complete",
    "finished": "complete",
    "delivered": "complete",
    "closed": "complete",
    "ongoing": "in progress",
    "on track": "in progress",
    "on target": "in progress",
    "started": "in progress",
    "underway": "in progress",
    "under way": "in progress",
    "behind schedule": "in progress",
    "not started": "planned",
    "not yet started": "planned",
    "cancelled": "dropped",
    "canceled": "dropped",
    "withdrawn": "dropped",
    "deleted": "dropped",
    "no update": "not reported",
}
_SLASHED_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_NAMED_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})", re.ASCII)
_NAMED_MONTH = re.compile(r"([a-z]+)\.?,? (\d{4})", re.ASCII)
_SLASHED_MONTH = re.compile(r"(\d{1,2})[/.-](\d{4})", re.ASCII)
MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
DATE_FORMS = "2020-10-01 (ISO), 1 Oct 2020 or 1 October 2020, or a date cell"
MONTH_FORMS = "2021-06, June 2021 or Jun 2021, or a date cell"
RATINGS = {"r": "red", "red": "red", "a": "amber", "amber": "amber", "g": "green", "green": "green"}


class CellError(ValueError):
    """The value in a cell cannot be recorded; the message says why and what to type."""


def _words(value: str) -> str:
    return " ".join(re.split(r"[\s_]+", value.strip())).casefold()


def read_status(value: object) -> Status:
    """A status in any case or spacing: "In Progress", "in_progress", " COMPLETE "."""
    typed = str(value).strip()
    wanted = _words(typed.replace("-", " "))
    for status in STATUSES:
        if wanted == STATUS_LABELS[status]:
            return status
    from cheplan.domain.words import closest

    labels = [STATUS_LABELS[s] for s in STATUSES]
    guess = _SYNONYMS.get(wanted) or closest(wanted, labels)
    if guess:
        raise CellError(f"{typed!r} is not a status; did you mean {guess!r}?")
    raise CellError(f"{typed!r} is not a status; choose one of: {', '.join(labels)}")


def _make_date(typed: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise CellError(f"{typed!r} is not a real date ({exc})") from None


def _month_number(word: str) -> int | None:
    """1-12 for a month's name or its first three letters or more ("Sept" too), else None."""
    if len(word) < 3:
        return None
    return next((number for number, name in enumerate(MONTH_NAMES, start=1) if name.startswith(word)), None)


def shown_date(value: date) -> str:
    """A date as people read it, never a serial number: "1 October 2020"."""
    return f"{value.day} {MONTH_NAMES[value.month - 1].capitalize()} {value.year}"


def _day_month(value: date) -> str:
    return f"{value.day} {MONTH_NAMES[value.month - 1].capitalize()}"


def _short(value: date) -> str:
    return f"{value.day} {MONTH_NAMES[value.month - 1][:3].capitalize()} {value.year}"


def slashed_refusal(typed: str, first: int, second: int, year: int) -> CellError:
    """Why 01/10/2020 is refused: UK and US spreadsheets read it as different days."""
    year = year + 2000 if year < 100 else year
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            readings.append(date(year, month, day))
        except ValueError:
            continue
    if len(set(readings)) == 2:
        one, other = readings
        said = f"{_day_month(one)} or {_day_month(other)}"
        return CellError(f"{typed} could be {said}; type {one.isoformat()} or {_short(one)}")
    if readings:
        one = readings[0]
        return CellError(
            f"{typed}: dates with slashes are read differently by UK and US spreadsheets;"
            f" type {one.isoformat()} or {_short(one)}"
        )
    return CellError(f"{typed!r} is not a real date; type one of {DATE_FORMS}")


def read_date(value: object) -> date:
    """A date cell, ISO text (2020-10-01) or a day and a month's name (1 Oct 2020, 1 October 2020).

    Slashed text (01/10/2020) is refused: a UK and a US spreadsheet read it as different days.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | int | float):
        raise CellError(f"{value!r} is a number, not a date: type a date such as {DATE_FORMS}")
    typed = " ".join(str(value).split())
    iso = _ISO_DATE.fullmatch(typed)
    if iso:
        return _make_date(typed, int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    named = _NAMED_DATE.fullmatch(typed.casefold())
    month = _month_number(named.group(2)) if named else None
    if named and month:
        return _make_date(typed, int(named.group(3)), month, int(named.group(1)))
    slashed = _SLASHED_DATE.fullmatch(typed)
    if slashed:
        raise slashed_refusal(typed, int(slashed.group(1)), int(slashed.group(2)), int(slashed.group(3)))
    raise CellError(f"{typed!r} is not a date: type one of {DATE_FORMS}")


def read_month(value: object) -> str:
    """A "YYYY-MM" month, or "June 2021"; a date cell (a spreadsheet turns "June 2021" into
    1 June 2021) gives its month."""
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, bool | int | float):
        raise CellError(f"{value!r} is a number, not a month: type {MONTH_FORMS}")
    typed = " ".join(str(value).split())
    named = _NAMED_MONTH.fullmatch(typed.casefold())
    number = _month_number(named.group(1)) if named else None
    if named and number:
        return f"{named.group(2)}-{number:02d}"
    if _SLASHED_MONTH.fullmatch(typed):
        raise CellError(f"{typed!r} is not a month: type {MONTH_FORMS}")
    problem = month_problem(typed)
    if problem:
        raise CellError(f"{problem}; type {MONTH_FORMS}")
    return typed


def read_rating(value: object) -> Rag:
    """The lead's rating: R, A or G (or red, amber, green), any case."""
    typed = " ".join(str(value).split())
    found = RATINGS.get(typed.casefold())
    if found is None:
        raise CellError(f"{typed!r} is not a rating; type R, A or G (red, amber or green)")
    return found  # type: ignore[return-value]


def read_text(value: object) -> str:
    """A note: surrounding blanks dropped, line ends made plain; no control characters."""
    if isinstance(value, datetime | date):
        raise CellError("a note must be text, not a date cell")
    if isinstance(value, time | timedelta | bool):  # "12:00" typed in a note cell comes back as a time
        raise CellError(f"a note must be text, not a {'time' if not isinstance(value, bool) else 'TRUE/FALSE'} cell")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    found = first_hidden(text, keep="\t\n")
    if found is not None:
        raise CellError(f"the note contains an invisible control character (U+{ord(found):04X}); remove it")
    if len(text) > caps.MAX_SCALAR_CHARS:
        raise CellError(
            f"the note is {len(text):,} characters, over the {caps.MAX_SCALAR_CHARS:,} cheplan reads a plan value"
            " up to; shorten it, or link to the full text"
        )
    return text


def read_id(value: object) -> int:
    """An action number: 7, 7.0 or "7"."""
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not an action ID")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise CellError(f"{value!r} is not an action ID (a whole number)")
    if not 0 < number < 10**9:
        raise CellError(f"{number} is not an action ID")
    return number


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
