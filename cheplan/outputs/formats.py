"""Renderers, chosen by name: table (Rich, for people), json, csv, csv-excel, markdown.

Machine formats never import Rich. Every renderer returns text; the CLI writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cheplan.outputs.cells import cell_text, human_cell, shorten
from cheplan.outputs.csv_format import render_csv, render_excel_csv
from cheplan.outputs.listing import Listing
from cheplan.outputs.markdown_format import markdown_text, render_markdown
from cheplan.outputs.table_format import DEFAULT_TABLE_LIMIT, render_table

__all__ = [
    "DEFAULT_TABLE_LIMIT",
    "RENDERERS",
    "cell_text",
    "human_cell",
    "markdown_text",
    "render",
    "render_table",
    "shorten",
]


def render_json(listing: Listing, **_: Any) -> str:
    from cheplan.outputs.json_text import dumps_indented

    # JSON is the exact text, control characters and all (escaped as JSON escapes them).
    return dumps_indented(listing.data) + "\n"


Renderer = Callable[..., str]

RENDERERS: dict[str, Renderer] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
    "csv-excel": render_excel_csv,
    "markdown": render_markdown,
}
# Written as UTF-8 bytes whatever the terminal's encoding: the byte-order mark says UTF-8.
UTF8_ONLY = frozenset({"csv-excel"})


def render(listing: Listing, format_name: str, **options: Any) -> str:
    return RENDERERS[format_name](listing, **options)
