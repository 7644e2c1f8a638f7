"""The output formats, and the renderers chosen by them: one list of every format choice.

Each command offers the formats of what it writes: a listing (`ListingFormat`), problems
(`ProblemFormat`), what an edit changes (`DiffFormat`), what returned workbooks would record
(`ReturnsFormat`) and the board report (`ReportFormat`). Each renderer lives in its own module
and is imported only when its format is asked for, so an everyday JSON query loads neither
the table layout nor the Markdown escaper. Machine formats never import Rich. Every renderer
returns text; the CLI writes it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cheplan.outputs.listing import Listing


class ListingFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    # CSV for a spreadsheet: UTF-8 with a byte-order mark, CRLF (see cheplan/outputs/csv_format.py).
    csv_excel = "csv-excel"
    markdown = "markdown"


class ProblemFormat(StrEnum):
    text = "text"
    github = "github"
    json = "json"


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class ReturnsFormat(StrEnum):
    text = "text"
    json = "json"


class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"


Format = ListingFormat | ProblemFormat | DiffFormat | ReturnsFormat | ReportFormat
Renderer = Callable[..., str]

# What is written -> format -> (module under cheplan.outputs, function). A test checks that
# every choice a command offers has its renderer here.
RENDERERS: dict[type[StrEnum], dict[str, tuple[str, str]]] = {
    ListingFormat: {
        ListingFormat.table: ("table_format", "render_table"),
        ListingFormat.json: ("json_text", "render_json"),
        ListingFormat.csv: ("csv_format", "render_csv"),
        ListingFormat.csv_excel: ("csv_format", "render_excel_csv"),
        ListingFormat.markdown: ("markdown_format", "render_markdown"),
    },
    ProblemFormat: {
        ProblemFormat.text: ("problem_formats", "render_text"),
        ProblemFormat.github: ("problem_formats", "render_github"),
        ProblemFormat.json: ("problem_formats", "render_json"),
    },
    DiffFormat: {
        DiffFormat.text: ("diff_formats", "render_text"),
        DiffFormat.json: ("diff_formats", "render_json"),
        DiffFormat.markdown: ("diff_formats", "render_markdown"),
    },
    ReturnsFormat: {
        ReturnsFormat.text: ("returns_import_formats", "render_text"),
        ReturnsFormat.json: ("returns_import_formats", "render_json"),
    },
    ReportFormat: {
        ReportFormat.html: ("board_report", "render_html"),
        ReportFormat.markdown: ("board_report", "render_markdown"),
    },
}
# Written as UTF-8 bytes whatever the terminal's encoding: the byte-order mark says UTF-8.
UTF8_ONLY = frozenset({ListingFormat.csv_excel})


def renderer(choice: Format | str) -> Renderer:
    """The renderer of `choice`; a bare name means a listing format."""
    kind = type(choice) if isinstance(choice, StrEnum) else ListingFormat
    module, function = RENDERERS[kind][choice]
    found: Renderer = getattr(importlib.import_module(f"cheplan.outputs.{module}"), function)
    return found


def render(what: Any, choice: Format | str, **options: Any) -> str:
    return renderer(choice)(what, **options)


def render_pieces(listing: Listing, choice: ListingFormat | str, **options: Any) -> Iterator[str]:
    """The rendered text in pieces, joined exactly `render` would return it: JSON is made and
    written a slice of rows at a time; every other format is one piece."""
    if choice == ListingFormat.json:
        from cheplan.outputs.json_text import json_pieces

        yield from json_pieces(listing)
        return
    yield render(listing, choice, **options)
