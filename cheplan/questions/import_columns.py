"""Which column of a council's table holds what: guessed from the header row, or given with --columns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cheplan.domain.errors import UsageError
from cheplan.loading.tables import Table, TableCell, column_letter

FIELDS = ("theme", "id", "action", "outcomes", "lead", "start", "end", "recommendations")
REQUIRED = ("action", "lead", "start", "end")
HEADERS = {
    "theme": ("theme", "themes", "priority", "strand", "objective", "area"),
    "id": ("action no", "action number", "no", "number", "ref", "reference", "id", "action ref", "action id"),
    "action": ("action", "actions", "what we will do", "action description"),
    "outcomes": ("outcome", "outcomes", "expected outcome", "expected outcomes", "success measure"),
    "lead": ("lead organisation", "lead organisations", "lead organization", "lead", "lead agency", "owner", "leads"),
    "start": ("start date", "start", "start month", "from"),
    "end": ("end date", "target date", "end", "deadline", "due date", "completion date", "by when", "to"),
    "recommendations": ("recommendations", "recommendation", "source", "sources", "recommendation ref"),
}
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Mapping:
    """Field -> 0-based column, and the header row's index (None: no header row)."""

    columns: dict[str, int]
    header_row: int | None
    headers: dict[str, str]

    def describe(self) -> str:
        return ", ".join(
            f"{field}={column_letter(index + 1)}" + (f" ({self.headers[field]!r})" if self.headers.get(field) else "")
            for field, index in sorted(self.columns.items(), key=lambda item: item[1])
        )


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.casefold()).split())


_LOOKUP = {_normal(header): field for field, headers in HEADERS.items() for header in headers}


def _guess(row: list[TableCell]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        field = _LOOKUP.get(_normal(cell.text))
        if field is not None and field not in found:
            found[field] = index
    return found


def _given(columns: str) -> dict[str, int]:
    given: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in columns.split(","))):
        field, _, letter = part.partition("=")
        field, letter = field.strip().casefold(), letter.strip().upper()
        if field not in FIELDS:
            raise UsageError(f"--columns: {field!r} is not a field; the fields are {', '.join(FIELDS)}")
        if not re.fullmatch(r"[A-Z]{1,2}", letter):
            raise UsageError(f"--columns: {part!r}: give a column letter, e.g. {field}=C")
        number = 0
        for char in letter:
            number = number * 26 + ord(char) - 64
        given[field] = number - 1
    return given


def choose_mapping(table: Table, columns: str | None) -> Mapping:
    """The header row (the first of the top rows naming three or more fields) and the columns:
    guessed from it, with --columns overriding any of them."""
    header_row, guessed = None, {}
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        found = _guess(row)
        if len(found) >= 3:
            header_row, guessed = index, found
            break
    chosen = guessed | (_given(columns) if columns else {})
    missing = [field for field in REQUIRED if field not in chosen]
    if missing:
        seen = "no header row found" if header_row is None else f"the header row is row {header_row + 1}"
        raise UsageError(
            f"{table.name}: cannot tell which column holds {', '.join(missing)} ({seen});"
            f' name them with --columns, e.g. --columns "action=C,lead=E,start=F,end=G"'
        )
    headers = {}
    if header_row is not None:
        row = table.rows[header_row]
        headers = {field: row[index].text for field, index in chosen.items() if index < len(row)}
    return Mapping(chosen, header_row, headers)


def is_header_repeat(row: list[TableCell], mapping: Mapping) -> bool:
    """A header row printed again (a committee paper repeats it on each page, sometimes reworded)."""
    found = _guess(row)
    return len(found) >= 3 and all(mapping.columns.get(field) == index for field, index in found.items())
