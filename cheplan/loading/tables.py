"""Read the table a council already publishes (a Word committee paper, a workbook, a CSV),
without trusting it: the same caps as every other input, and every cell kept verbatim with
its place (`FILE!SHEET!CELL`), so a problem can name the cell it is about.

A .docx and an .xlsx are zips of XML parts: both go through `workbook.inspect_package` (zip
bombs, DOCTYPE and entities, macros refused) before python-docx or openpyxl sees them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cheplan.domain import caps
from cheplan.domain.errors import UnreadableInputError, UsageError
from cheplan.loading.workbook import MAX_COLUMNS, MAX_ROWS

SUFFIXES = (".docx", ".xlsx", ".csv")


@dataclass(frozen=True, slots=True)
class TableCell:
    """One cell: where it is, its text verbatim, its value (a date for a date cell), and the
    bold text it starts with (Word only: how a committee paper marks a theme's title)."""

    where: str
    text: str
    value: object = None
    bold: str = ""
    formula: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    rows: list[list[TableCell]]


def column_letter(number: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while number:
        number, left = divmod(number - 1, 26)
        letters = chr(65 + left) + letters
    return letters


def read_table(path: Path, name: str, *, sheet: str | None = None, table_number: int | None = None) -> Table:
    """The table in `path`, chosen by `sheet` (.xlsx) or `table_number` (1-based, .docx)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(
            f"--from {name}: cheplan reads tables from {', '.join(SUFFIXES)} files, not {suffix or 'this'}"
        )
    if sheet is not None and suffix != ".xlsx":
        raise UsageError("--sheet is for .xlsx workbooks; use --table N for a .docx")
    if table_number is not None and suffix != ".docx":
        raise UsageError("--table is for .docx documents; use --sheet NAME for a workbook")
    if suffix == ".csv":
        return _read_csv(path, name)
    if suffix == ".xlsx":
        return _read_xlsx(path, name, sheet)
    return _read_docx(path, name, table_number or 1)


def _text(value: object, name: str, where: str) -> str:
    text = "" if value is None else str(value)
    if len(text) > caps.MAX_SCALAR_CHARS:
        raise UnreadableInputError(
            f"{where}: the cell holds {len(text):,} characters (at most {caps.MAX_SCALAR_CHARS:,})"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _read_csv(path: Path, name: str) -> Table:
    from cheplan.domain.filesystem.reading import read_regular

    raw = read_regular(path, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableInputError(
            f"{name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start});"
            " save the table as 'CSV UTF-8' and try again"
        ) from None
    del raw
    rows: list[list[TableCell]] = []
    try:
        for number, record in enumerate(csv.reader(_lines(text)), start=1):
            if number > MAX_ROWS:
                raise UnreadableInputError(f"{name}: more than {MAX_ROWS:,} rows; a plan has one per action")
            if len(record) > MAX_COLUMNS:
                raise UnreadableInputError(f"{name}: row {number} has {len(record)} columns (at most {MAX_COLUMNS})")
            cells = []
            for column, value in enumerate(record, start=1):
                where = f"{name}!{column_letter(column)}{number}"
                cells.append(TableCell(where, _text(value, name, where)))
            rows.append(cells)
    except csv.Error as exc:
        raise UnreadableInputError(f"{name}: not a CSV table ({exc})") from None
    return Table(name, rows)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their endings, as a file opened with newline="" gives them to
    `csv.reader`, one at a time: io.StringIO would first copy the whole text into a buffer of
    four bytes a character (250 MB for a 63 MB table of accented text)."""
    for match in _LINE.finditer(text):
        yield match.group()


def _read_xlsx(path: Path, name: str, sheet: str | None) -> Table:
    from cheplan.loading.workbook import read_workbook

    book = read_workbook(path, name, None if sheet is None else (sheet,))
    if not book.sheets:
        raise UsageError(f"--sheet {sheet!r}: {name} has no such sheet" if sheet else f"{name}: no visible sheet")
    found = next(iter(book.sheets.values()))
    rows = []
    for row in found.rows:
        cells = []
        for cell in row:
            where = f"{name}!{found.title}!{cell.coordinate}"
            value = cell.value
            text = _text(value if isinstance(value, str | int | float) else None, name, where)
            cells.append(TableCell(where, text, value, formula=cell.is_formula))
        rows.append(cells)
    return Table(f"{name}!{found.title}", rows)


def _read_docx(path: Path, name: str, number: int) -> Table:
    from cheplan.loading.workbook import inspect_package

    raw, _ = inspect_package(path, name, document=True)
    try:
        import docx

        document = docx.Document(io.BytesIO(raw))
        tables = document.tables
        if not 1 <= number <= len(tables):
            raise UsageError(f"--table {number}: {name} holds {len(tables)} table(s)")
        table = tables[number - 1]
        if len(table.rows) > MAX_ROWS:
            raise UnreadableInputError(f"{name}: table {number} has more than {MAX_ROWS:,} rows")
        return Table(f"{name}!table {number}", _docx_rows(table, name, number))
    except (UsageError, UnreadableInputError):
        raise
    except Exception as exc:  # noqa: BLE001 - anything a hostile document raises is "unreadable", never a traceback
        raise UnreadableInputError(
            f"{name}: could not be read as a Word document ({type(exc).__name__}: {exc})"
        ) from None


def _docx_rows(table: Any, name: str, number: int) -> list[list[TableCell]]:
    rows: list[list[TableCell]] = []
    above: list[Any] = []
    for row_number, row in enumerate(table.rows, start=1):
        found = list(row.cells)[:MAX_COLUMNS]
        cells = []
        for column, cell in enumerate(found, start=1):
            where = f"{name}!table {number}!{column_letter(column)}{row_number}"
            repeated = (column > 1 and found[column - 2]._tc is cell._tc) or (
                column <= len(above) and above[column - 1]._tc is cell._tc
            )
            if repeated:  # a merged cell: printed once, in its first row and column
                cells.append(TableCell(where, ""))
                continue
            text = _text("\n".join(p.text for p in cell.paragraphs), name, where)
            cells.append(TableCell(where, text, text, _bold_start(cell)))
        above = found
        rows.append(cells)
    return rows


def _bold_start(cell: Any) -> str:
    """The text the cell's first paragraph starts with in bold ('' when it starts plain)."""
    bold = ""
    for paragraph in cell.paragraphs[:1]:
        for run in paragraph.runs:
            if run.bold:
                bold += run.text
            elif run.text.strip():
                break
            else:
                bold += run.text
    return bold.strip()
