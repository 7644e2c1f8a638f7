"""Renderers, chosen by name: table (Rich, for people), json, csv, csv-excel, markdown.

Each renderer lives in its own module and is imported only when its format is asked for, so
an everyday JSON query loads neither the table layout nor the Markdown escaper. Machine
formats never import Rich. Every renderer returns text; the CLI writes it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

from cheplan.outputs.listing import Listing

Renderer = Callable[..., str]

# format name -> (module under cheplan.outputs, function)
RENDERERS: dict[str, tuple[str, str]] = {
    "table": ("table_format", "render_table"),
    "json": ("json_text", "render_json"),
    "csv": ("csv_format", "render_csv"),
    "csv-excel": ("csv_format", "render_excel_csv"),
    "markdown": ("markdown_format", "render_markdown"),
}
# Written as UTF-8 bytes whatever the terminal's encoding: the byte-order mark says UTF-8.
UTF8_ONLY = frozenset({"csv-excel"})


def renderer(format_name: str) -> Renderer:
    module, function = RENDERERS[format_name]
    found: Renderer = getattr(importlib.import_module(f"cheplan.outputs.{module}"), function)
    return found


def render(listing: Listing, format_name: str, **options: Any) -> str:
    return renderer(format_name)(listing, **options)


def render_pieces(listing: Listing, format_name: str, **options: Any) -> Iterator[str]:
    """The rendered text in pieces, joined exactly `render` would return it: JSON is made and
    written a slice of rows at a time; every other format is one piece."""
    if format_name == "json":
        from cheplan.outputs.json_text import json_pieces

        yield from json_pieces(listing)
        return
    yield render(listing, format_name, **options)
