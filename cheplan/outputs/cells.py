"""Cells as the renderers share them: a value as text, shortened for people, grouped."""

from __future__ import annotations

from cheplan.outputs.listing import Cell, Column, Listing


def shorten(text: str, limit: int | None) -> str:
    """`text` on one line, cut with a visible "…" when longer than `limit` characters."""
    text = " ".join(text.split())
    if limit is None or len(text) <= limit:
        return text
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
    return shorten(text, limit) or column.when_empty


def groups(listing: Listing, rows: list[dict[str, Cell]] | None = None) -> dict[str, list[dict[str, Cell]]]:
    """`rows` (default: all) by the value of the listing's `group_by` key, in order of appearance."""
    found: dict[str, list[dict[str, Cell]]] = {}
    for row in listing.rows if rows is None else rows:
        found.setdefault(cell_text(row.get(listing.group_by or "")), []).append(row)
    return found
