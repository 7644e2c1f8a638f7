"""The columns of a returned sheet that cheplan does not read: named, never dropped in silence.

Partners add the columns they miss ("RAG", "Issues", "Officer"). Each one is reported as not
read, with the return's own column for it when there is one.
"""

from __future__ import annotations

from cheplan.loading.workbook import Cell
from cheplan.questions.returns import (
    COMPLETED_BY,
    EVIDENCE,
    INPUT_HEADERS,
    OLDER_HEADERS,
    PROPOSED_END,
    RATING,
    REFERENCE_HEADERS,
    RETURN_SHEET,
    RISKS,
    SUPPORT,
    CellProblem,
    header_key,
)

# Words partners put in a header, and the return's column for what they meant.
_MEANT: tuple[tuple[tuple[str, ...], str], ...] = (
    (("rag", "rating", "red amber green", "self assessment", "self-assessment"), RATING),
    (("risk", "blocker", "issue", "barrier", "concern"), RISKS),
    (("support", "ask", "help", "escalat", "decision"), SUPPORT),
    (("evidence", "proof", "delivered", "impact"), EVIDENCE),
    (("new end", "new date", "revised", "target date", "new deadline", "proposed"), PROPOSED_END),
    (("name", "officer", "completed by", "updated by", "contact", "author"), COMPLETED_BY),
)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _meant(key: str) -> str | None:
    return next((column for words, column in _MEANT if any(word in key for word in words)), None)


def unread_columns(file: str, header_row: list[Cell], row_number: int) -> list[CellProblem]:
    """A warning for each headed column that is none of the return's: "column L 'RAG' is not
    read; use 'Lead's rating'"."""
    known = {header_key(h) for h in (*REFERENCE_HEADERS, *INPUT_HEADERS)} | set(OLDER_HEADERS)
    found = []
    for index, cell in enumerate(header_row):
        if not isinstance(cell.value, str) or not cell.value.strip() or header_key(cell.value) in known:
            continue
        meant = _meant(header_key(cell.value))
        advice = f"; use '{meant}'" if meant else "; what it says is not recorded"
        where = f"{column_letter(index)}{row_number}"
        message = f"column {column_letter(index)} {cell.value.strip()!r} is not read{advice}"
        found.append(CellProblem(file, RETURN_SHEET, where, message))
    return found
