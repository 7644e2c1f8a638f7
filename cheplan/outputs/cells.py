"""Cells as the renderers share them: a value as text, shortened for people, grouped."""

from __future__ import annotations

from cheplan.domain.words import plural
from cheplan.outputs.listing import Cell, Column, Listing

ITEM_SEPARATOR = ", "


def shorten(text: str, limit: int | None, items: str | None = None) -> str:
    """`text` on one line, cut with a visible "…" when longer than `limit` characters.

    With `items` (what the text lists, separated by ", "), the cut falls after a whole item
    and says how many were left out: "1 (2020-05), 2 (2020-06) … and 99,998 more actions".
    """
    text = " ".join(text.split())
    if limit is None or len(text) <= limit:
        return text
    if items is not None:
        cut = text.rfind(ITEM_SEPARATOR, 0, limit)
        if cut > 0:
            left_out = text.count(ITEM_SEPARATOR, cut)
            return f"{text[:cut]} … and {plural(left_out, f'more {items}')}"
    return text[: limit - 1].rstrip() + "…"


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def human_cell(value: Cell, column: Column, *, limit: int | None = None) -> str:
    """A cell as people read it: in words, on one line, cut at `limit` characters when given,
    with the column's word for a missing value."""
    if value is None or value in ("", []):
        return column.when_empty
    text = column.human(value) if column.human else cell_text(value)
    return shorten(text, limit, column.items) or column.when_empty


def groups(listing: Listing, rows: list[dict[str, Cell]] | None = None) -> dict[str, list[dict[str, Cell]]]:
    """`rows` (default: all) by the value of the listing's `group_by` key, in order of appearance."""
    found: dict[str, list[dict[str, Cell]]] = {}
    for row in listing.rows if rows is None else rows:
        found.setdefault(cell_text(row.get(listing.group_by or "")), []).append(row)
    return found
