"""Renderers, chosen by name: table (Rich, for people), json, csv, markdown.

Machine formats never import Rich. Every renderer returns text; the CLI writes it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from cheplan.outputs.listing import Cell, Column, Listing

DEFAULT_TABLE_LIMIT = 200


def shorten(text: str, limit: int | None) -> str:
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


def render_json(listing: Listing, **_: Any) -> str:
    from cheplan.outputs.json_text import dumps_indented

    return dumps_indented(listing.data) + "\n"


def render_csv(listing: Listing, **_: Any) -> str:
    import csv

    out = io.StringIO()
    keys = [c.key for c in listing.columns]
    if listing.group_by and listing.group_by not in keys:
        keys.insert(0, listing.group_by)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in listing.rows:
        writer.writerow([cell_text(row.get(k)) for k in keys])
    return out.getvalue()


def human_cell(value: Cell, column: Column) -> str:
    """A cell as people read it: in words, shortened, with the column's word for a missing value."""
    if value is None or value in ("", []):
        return column.when_empty
    text = column.human(value) if column.human else cell_text(value)
    return shorten(text, column.max_chars) or column.when_empty


# Only what acts inline: our own lines start with "| ", "- " or "#", so plan text never leads one.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def markdown_text(text: str) -> str:
    """Plan text shown literally in Markdown: no accidental emphasis, links, HTML or table cells."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _markdown_cell(value: Cell, column: Column) -> str:
    return markdown_text(human_cell(value, column)) or " "


def _markdown_table(columns: list[Column], rows: list[dict[str, Cell]]) -> list[str]:
    lines = ["| " + " | ".join(c.header for c in columns) + " |"]
    lines.append("| " + " | ".join("---:" if c.justify == "right" else "---" for c in columns) + " |")
    for row in rows:
        lines.append("| " + " | ".join(_markdown_cell(row.get(c.key), c) for c in columns) + " |")
    return lines


def render_markdown(listing: Listing, **_: Any) -> str:
    lines: list[str] = []
    if listing.title:
        lines += [f"## {listing.title}", ""]
    if not listing.rows:
        lines += [listing.empty_message, ""]
    elif listing.group_by:
        for group, rows in _groups(listing).items():
            lines += [f"### {group}", "", *_markdown_table(listing.columns, rows), ""]
    else:
        lines += [*_markdown_table(listing.columns, listing.rows), ""]
    lines += [f"{line}  " for line in listing.footer]
    return "\n".join(lines).rstrip() + "\n"


def _groups(listing: Listing) -> dict[str, list[dict[str, Cell]]]:
    groups: dict[str, list[dict[str, Cell]]] = {}
    for row in listing.rows:
        groups.setdefault(cell_text(row.get(listing.group_by or "")), []).append(row)
    return groups


class _Output(io.StringIO):
    """Collects the table; its `encoding` tells Rich whether box-drawing characters will survive."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]  # StringIO's own is read-only too
        return self._encoding


def render_table(
    listing: Listing,
    *,
    limit: int | None = DEFAULT_TABLE_LIMIT,
    width: int | None = None,
    color: bool = False,
    encoding: str = "utf-8",
) -> str:
    """A Rich table for people. Meaning is always in words, never only in colour.

    Colour is used only when asked for (the CLI asks on a terminal without NO_COLOR). For an
    output that is not UTF-8, Rich draws the table with ASCII characters.
    """
    from rich.console import Console

    out = _Output(encoding)
    console = Console(
        file=out,
        width=width or _terminal_width(),
        highlight=False,
        # Plan text is shown as written: "[note]" is not Rich markup, ":x:" is not an emoji code.
        markup=False,
        emoji=False,
        soft_wrap=False,
        force_terminal=color,
        no_color=not color,
    )
    if listing.title:
        console.print(listing.title, style="bold", markup=False)
    if not listing.rows:
        console.print(listing.empty_message, markup=False)
    else:
        shown = listing.rows if not limit else listing.rows[:limit]
        if listing.group_by:
            counts = {group: len(rows) for group, rows in _groups(listing).items()}
            shown_groups: dict[str, list[dict[str, Cell]]] = {}
            for row in shown:
                shown_groups.setdefault(cell_text(row.get(listing.group_by)), []).append(row)
            for group, rows in shown_groups.items():
                console.print()
                console.print(f"{group} ({counts[group]})", style="bold", markup=False)
                console.print(_rich_table(listing.columns, rows))
        else:
            console.print(_rich_table(listing.columns, shown))
        hidden = len(listing.rows) - len(shown)
        if hidden > 0:
            console.print(
                f"… and {hidden} more rows not shown (use --limit 0 to show all, or --format csv/json).",
                markup=False,
            )
    for line in listing.footer:
        console.print(line, markup=False)
    return out.getvalue()


def _rich_table(columns: list[Column], rows: list[dict[str, Cell]]) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # Expanded with ratios, every group's table splits the width the same way.
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    for column in columns:
        table.add_column(
            column.header,
            justify=column.justify,  # type: ignore[arg-type]
            ratio=column.ratio,
            min_width=column.min_width,
            max_width=column.max_width,
            no_wrap=column.no_wrap,
            overflow="fold",
        )
    for row in rows:
        table.add_row(*(Text(human_cell(row.get(c.key), c)) for c in columns))
    return table


def _terminal_width() -> int:
    import shutil

    return max(40, shutil.get_terminal_size((80, 24)).columns)


Renderer = Callable[..., str]

RENDERERS: dict[str, Renderer] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
    "markdown": render_markdown,
}


def render(listing: Listing, format_name: str, **options: Any) -> str:
    return RENDERERS[format_name](listing, **options)
