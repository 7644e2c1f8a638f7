"""CSV: whole cells for machines and spreadsheets, never a live formula.

`csv` is UTF-8 without a byte-order mark, one record per LF-ended line: the stable contract
for scripts. `csv-excel` is the same cells for a spreadsheet: a UTF-8 byte-order mark (without
it Excel decodes "café" as "cafÃ©") and CRLF record ends, as RFC 4180 and Excel write them.
"""

from __future__ import annotations

from typing import Any

from cheplan.outputs.cells import cell_text
from cheplan.outputs.listing import Cell, Listing

# A cell starting with one of these is read as a formula by Excel and LibreOffice
# (OWASP, "CSV Injection"): `=HYPERLINK(...)` becomes a live link, `=cmd|...` a DDE call.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralised(value: Cell) -> str:
    """The cell's text, prefixed with a single quote when a spreadsheet would run it.

    Numbers are data, never formulas: `-3` stays a number.
    """
    text = cell_text(value)
    if isinstance(value, (int, float)):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Records:
    """Collects the writer's records, each ended with `ending`.

    The writer is given CRLF as its line terminator so that it quotes every cell holding a CR
    or an LF (with LF alone, a lone CR is written unquoted and readers see an extra row); each
    record arrives in one `write`, so its terminator is replaced without touching any cell.
    """

    def __init__(self, ending: str) -> None:
        self.parts: list[str] = []
        self._ending = ending

    def write(self, record: str) -> int:
        self.parts.append(record[:-2] + self._ending)
        return len(record)


def csv_text(listing: Listing, *, ending: str = "\n") -> str:
    import csv

    keys = [c.key for c in listing.columns]
    if listing.group_by and listing.group_by not in keys:
        keys.insert(0, listing.group_by)
    records = _Records(ending)
    writer = csv.writer(records, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(keys)
    for row in listing.rows:
        writer.writerow([neutralised(row.get(k)) for k in keys])
    return "".join(records.parts)


def render_csv(listing: Listing, **_: Any) -> str:
    return csv_text(listing)


def render_excel_csv(listing: Listing, **_: Any) -> str:
    """For a spreadsheet: write it to a file as UTF-8 (the CLI does) and open that file."""
    return BOM + csv_text(listing, ending="\r\n")
