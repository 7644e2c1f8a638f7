"""Read an .xlsx workbook someone sent back, without trusting it.

A workbook is a zip of XML parts, and an attachment can be anything. Before openpyxl sees
the file, :func:`inspect_package` opens it with :mod:`zipfile` and refuses, each with a
message a coordinator can act on: something that is not a zip, a zip that is not a workbook
(an .ods, a .docx), a macro-enabled workbook, a decompression bomb (judged on the sizes the
zip declares, before anything is inflated: :mod:`zipfile` never inflates an entry past its
declared size), any part, whatever its name, that declares a DOCTYPE or entities (which
workbooks never need), and a workbook whose parts hold more XML elements than openpyxl can
build objects for within budget (:mod:`cheplan.loading.workbook_parts`). openpyxl itself
parses with defusedxml when it is installed (it is a dependency), a second line against
entity attacks. Only then are the wanted sheets read, cell by cell, up to MAX_CELLS cells.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from cheplan.domain.errors import UnreadableInputError
from cheplan.loading.workbook_parts import DeclaresDoctype, TooManyElements, check_parts

# Declared-size limits. A real returns workbook is tens of kilobytes; these leave room for
# any honest edit while keeping openpyxl's peak memory far below 256 MiB.
MAX_ENTRIES = 2_000
MAX_PART_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 40 * 1024 * 1024
# Inflation ratio allowed for a part larger than RATIO_FLOOR (XML compresses ~10-50x).
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
# A sheet with more rows or columns than this is not a return (one row per action). The
# import raises the row cap to what the plan's export can write (see questions.returns.row_cap).
MAX_ROWS = 5_000
MAX_COLUMNS = 200
# Cells kept from the wanted sheets (a row is kept up to its last non-empty cell): a return
# of 5,000 actions has 55,000; a sheet padded out to column 200 on every row is refused.
MAX_CELLS = 200_000
# One import: a quarter's returns are one workbook per organisation, and what they record must
# fit in a plan (64 MiB): the bytes all its workbooks inflate to bound the text the import keeps.
MAX_IMPORT_FILES = 100
MAX_IMPORT_BYTES = 64 * 1024 * 1024

_WORKBOOK_TYPES = (b"spreadsheetml.sheet.main+xml", b"spreadsheetml.template.main+xml")
_DOCUMENT_TYPES = (b"wordprocessingml.document.main+xml",)
# A committee paper's table of 5,000 actions (the row cap) is about 300,000 XML elements;
# python-docx builds them within 256 MiB (measured: see docs/init-and-rollover.md).
MAX_DOCUMENT_ELEMENTS = 400_000
_CELL_TYPES = (str, int, float, bool, datetime, date, time, timedelta, type(None))


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: where it is, what it holds, and whether that came from a formula."""

    coordinate: str
    value: object
    is_formula: bool = False


@dataclass(frozen=True)
class Sheet:
    title: str
    state: str  # visible, hidden or veryHidden
    rows: list[list[Cell]] = field(default_factory=list)  # rows[0] is row 1


@dataclass(frozen=True)
class Workbook:
    name: str
    sheets: dict[str, Sheet]
    inflated_bytes: int = 0  # what its parts inflate to: an import bounds the sum


def _refuse(name: str, why: str) -> UnreadableInputError:
    return UnreadableInputError(f"{name}: {why}")


def _check_sizes(name: str, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise _refuse(
            name, f"the file holds {len(infos)} parts (at most {MAX_ENTRIES}); refused as a possible zip bomb"
        )
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise _refuse(
                name,
                f"part {info.filename!r} would inflate to {info.file_size:,} bytes (at most {MAX_PART_BYTES:,});"
                " refused as a possible decompression bomb",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(
                name,
                f"part {info.filename!r} would inflate {info.file_size // max(info.compress_size, 1):,} times;"
                " refused as a possible decompression bomb",
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _refuse(
            name, f"the parts would inflate to {total:,} bytes (at most {MAX_TOTAL_BYTES:,}); refused as a zip bomb"
        )


def _check_document_kind(name: str, parts: dict[str, bytes]) -> None:
    types = parts.get("[Content_Types].xml", b"")
    if any(part.lower().endswith("vbaproject.bin") for part in parts) or b"macroEnabled" in types:
        raise _refuse(name, "the document contains macros; save it as a plain .docx without macros")
    if not any(kind in types for kind in _DOCUMENT_TYPES):
        raise _refuse(name, "not a .docx document (it has no document part); is it a workbook or another zip?")


def _check_kind(name: str, parts: dict[str, bytes]) -> None:
    if any(part.lower().endswith("vbaproject.bin") for part in parts):
        raise _refuse(name, "the workbook contains macros (vbaProject.bin); save it as a plain .xlsx without macros")
    if b"opendocument" in parts.get("mimetype", b"")[:200]:
        raise _refuse(name, "this is an OpenDocument file (.ods), not an .xlsx workbook; save it as .xlsx")
    types = parts.get("[Content_Types].xml")
    if types is None:
        raise _refuse(name, "not an .xlsx workbook (the zip has no [Content_Types].xml)")
    if b"macroEnabled" in types or b"vbaProject" in types:
        raise _refuse(name, "the workbook is macro-enabled (.xlsm); save it as a plain .xlsx without macros")
    if not any(kind in types for kind in _WORKBOOK_TYPES):
        raise _refuse(name, "not an .xlsx workbook (it has no workbook part); is it a .docx or another zip?")


def _inflate(handle: BinaryIO, info: zipfile.ZipInfo, name: str) -> bytes:
    """A part's bytes, inflated in bounded steps from the raw stream: never past its declared size.

    zipfile's own `read()` inflates a whole part in one call before cutting it to the declared
    size, so a part that lies about its size could still take gigabytes; this cannot.
    """
    if info.flag_bits & 0x1:
        raise _refuse(name, "the workbook is encrypted; save it without a password")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _refuse(name, f"part {info.filename!r} uses a compression Excel never writes; refused")
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise _refuse(name, "not an .xlsx workbook, or a damaged one (a part's header is missing)")
    handle.seek(
        info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    )
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    out = bytearray()
    left = info.compress_size
    while left > 0:
        chunk = handle.read(min(left, 65536))
        if not chunk:
            break
        left -= len(chunk)
        while chunk:
            if inflater is None:
                piece, chunk = chunk, b""
            else:
                piece = inflater.decompress(chunk, 65536)
                chunk = inflater.unconsumed_tail
            out += piece
            if len(out) > info.file_size:
                raise _refuse(name, f"part {info.filename!r} inflates past its declared size; refused as a zip bomb")
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        raise _refuse(name, f"not an .xlsx workbook, or a damaged one (part {info.filename!r} does not check out)")
    return bytes(out)


def inspect_package(path: Path, name: str, max_rows: int = MAX_ROWS, *, document: bool = False) -> tuple[bytes, int]:
    """Refuse anything but a plain, modest .xlsx (a .docx with `document`); raises
    UnreadableInputError saying why. A .docx is a zip of XML parts too: the same caps apply.

    Returns the bytes inspected, read once from a regular file (a FIFO would block, a device
    never end): what openpyxl then reads is what was checked, whatever happens to the path;
    and the number of bytes its parts inflate to. The worksheets' XML is budgeted for
    `max_rows` rows (the import's row cap, from the plan).
    """
    from cheplan.domain.filesystem.reading import read_regular

    raw = read_regular(path, name)
    try:
        with io.BytesIO(raw) as handle:
            if handle.read(8).startswith(b"\xd0\xcf\x11\xe0"):
                raise _refuse(
                    name, "an old-format (.xls) or password-protected workbook; save it as .xlsx without a password"
                )
            with zipfile.ZipFile(handle) as archive:
                infos = archive.infolist()
                _check_sizes(name, infos)
                parts = {info.filename: _inflate(handle, info, name) for info in infos}
                (_check_document_kind if document else _check_kind)(name, parts)
    except UnreadableInputError:
        raise
    except OSError as exc:
        raise _refuse(name, f"cannot be read ({exc.strerror or exc})") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
        raise _refuse(name, f"not an .xlsx workbook, or a damaged one ({exc})") from None
    try:
        check_parts(parts, max(max_rows, MAX_ROWS), MAX_DOCUMENT_ELEMENTS if document else None)
    except DeclaresDoctype as exc:
        raise _refuse(
            name,
            f"part {exc.part!r} declares a DOCTYPE or XML entities, which workbooks never need;"
            " refused as a possible XML entity attack",
        ) from None
    except TooManyElements as exc:
        raise _refuse(
            name,
            f"part {exc.part!r} {exc.reason}, far more than a return holds; refused as a possible memory bomb"
            if not document
            else f"part {exc.part!r} holds more XML than a plan's table (at most {MAX_DOCUMENT_ELEMENTS:,} elements"
            " over the document); refused as a possible memory bomb",
        ) from None
    return raw, sum(len(data) for data in parts.values())


def read_workbook(path: Path, name: str, wanted: tuple[str, ...] | None, max_rows: int = MAX_ROWS) -> Workbook:
    """The sheets named in `wanted` that the workbook has (values as typed, formulas flagged);
    with `wanted` None, the first visible sheet. A sheet with more than `max_rows` rows is
    refused, and the cell budget grows with it (and the worksheets' XML budget)."""
    data, inflated = inspect_package(path, name, max_rows)
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it skips
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
            try:
                if wanted is None:
                    visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
                    wanted = tuple(visible[:1])
                allowed = MAX_CELLS * max(max_rows, MAX_ROWS) // MAX_ROWS
                budget = [allowed, allowed]  # [still allowed, allowed in all]
                sheets = {t: _read_sheet(name, book[t], budget, max_rows) for t in book.sheetnames if t in wanted}
                return Workbook(name, sheets, inflated)
            finally:
                book.close()
    except UnreadableInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a hostile file is "unreadable", never a traceback
        if _defused(exc):
            raise _refuse(
                name, "the workbook's XML declares entities; refused as a possible XML entity attack"
            ) from None
        raise _refuse(name, f"could not be read as a workbook ({type(exc).__name__}: {exc})") from None


def _defused(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML, however deep openpyxl wrapped its exception."""
    from defusedxml import DefusedXmlException

    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None or isinstance(seen, DefusedXmlException):
            return seen is not None
        seen = seen.__cause__ or seen.__context__
    return False


def _read_sheet(name: str, worksheet: Any, budget: list[int], max_rows: int) -> Sheet:
    """The sheet's cells; `budget` holds the cells still allowed, shared by the workbook's sheets."""
    from openpyxl.utils import get_column_letter

    rows: list[list[Cell]] = []
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()  # the declared size is the sender's claim: read the cells there are
    for row_number, row in enumerate(worksheet.iter_rows(), start=1):
        if row_number > max_rows:
            raise _refuse(
                name, f"sheet {worksheet.title!r} has more than {max_rows:,} rows; a plan or return has one per action"
            )
        cells = []
        for column, cell in enumerate(row[:MAX_COLUMNS], start=1):  # columns past these are never ours
            value = getattr(cell, "value", None)
            formula = getattr(cell, "data_type", None) == "f" or not isinstance(value, _CELL_TYPES)
            cells.append(Cell(f"{get_column_letter(column)}{row_number}", None if formula else value, formula))
        while cells and cells[-1].value is None and not cells[-1].is_formula:
            cells.pop()  # trailing empty cells say nothing, and a padded row would cost a cell each
        budget[0] -= len(cells)
        if budget[0] < 0:
            raise _refuse(
                name, f"sheet {worksheet.title!r} takes the workbook past {budget[1]:,} cells; a return holds far fewer"
            )
        rows.append(cells)
    return Sheet(worksheet.title, str(getattr(worksheet, "sheet_state", "visible")), rows)
