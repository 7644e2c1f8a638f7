"""The table for people (Rich): the terminal's width used, words kept whole, text shown inert.

Rich is imported only here, inside the functions, so machine formats never load it.
"""

from __future__ import annotations

import io
import re
from typing import Any

from cheplan.domain import caps
from cheplan.domain.safe_text import one_line, visible
from cheplan.outputs.cells import groups, human_cell
from cheplan.outputs.listing import DEFAULT_TABLE_LIMIT, Cell, Column, Listing

# The widest table drawn, whatever COLUMNS says: `COLUMNS=99999999` must not make Rich lay out
# (and pad) lines of a hundred million cells. 500 is wider than any screen.
MAX_TABLE_WIDTH = 500
NARROWEST = 40
CARD_INDENT = 4
BASE_WIDTH = 80
# A column's `max_width` (e.g. Status wrapping "not reported") keeps room for text at 80
# columns; wider than this, it is lifted and a status reads on one line.
WIDE = 100
# A word longer than this is folded in any layout (a URL): it does not force the card layout.
LONGEST_WORD = 20
# Between two columns: the right padding, the (blank) rule and the left padding.
GAP = 3
_TRAILING_SPACES = re.compile(r" +$", re.MULTILINE)


def text_limit(column: Column, width: int) -> int | None:
    """How many characters of a column's cell a table of `width` shows: `max_chars` at 80
    columns, more on a wider terminal (at 200 columns, four times as many)."""
    if column.max_chars is None:
        return None
    return int(column.max_chars * max(1.0, (width - NARROWEST) / NARROWEST))


def table_width(requested: int | None) -> int:
    import shutil

    width = requested or shutil.get_terminal_size((BASE_WIDTH, 24)).columns
    return min(MAX_TABLE_WIDTH, max(NARROWEST, width))


class _Output(io.StringIO):
    """Collects the table; its `encoding` tells Rich whether box-drawing characters will survive."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]  # StringIO's own is read-only too
        return self._encoding


Cells = list[list[str]]


def cell_limit() -> int:
    """The most characters a table shows of a cell whose column has no `max_chars`: the longest
    value a plan may hold, so any one value (a note, an action's text) is shown whole, while a cell
    made of many values (every action of a recommendation) cannot hand Rich megabytes to wrap."""
    return caps.MAX_SCALAR_CHARS


def _shown_cells(columns: list[Column], rows: list[dict[str, Cell]], width: int, scale: int = 1) -> Cells:
    """Each row's cells as shown: in words, cut to the width's budget, control characters escaped."""
    limits = [cell_limit() if (n := text_limit(c, width)) is None else n * scale for c in columns]
    pairs = list(zip(columns, limits, strict=True))
    return [[visible(human_cell(row.get(c.key), c, limit=n)) for c, n in pairs] for row in rows]


def _needed(column: Column, cells: list[str], width: int) -> int:
    """The narrowest the column can be without breaking a word (or a no-wrap cell)."""
    from rich.cells import cell_len

    if column.no_wrap:
        return max(cell_len(t) for t in [column.header, *cells])
    words = [cell_len(w) for t in [column.header, *cells] for w in t.split()]
    need = max(words, default=1)
    if column.ratio is not None:
        return min(need, LONGEST_WORD)
    return need if column.max_width is None or width > WIDE else max(min(need, column.max_width), 1)


def _rich_table(columns: list[Column], cells: Cells, least: list[int | None], width: int) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # Expanded with ratios, every group's table splits the width the same way.
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    for column, narrowest in zip(columns, least, strict=True):
        table.add_column(
            column.header,
            justify=column.justify,  # type: ignore[arg-type]
            ratio=column.ratio,
            # A text column is never narrower than its longest word, so Rich wraps between words.
            width=narrowest,
            min_width=column.min_width,
            max_width=column.max_width if width <= WIDE else None,
            no_wrap=column.no_wrap,
            overflow="fold",
        )
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _cards(columns: list[Column], cells: Cells, width: int) -> list[Any]:
    """Too narrow for a table: each row as a short block.

    A first line of the short columns, the first no-wrap one (the id) bare and the others
    named, packed without splitting one (`22 · End 2020-03 · Days 184 · ...`); then, indented,
    the first text column in full and each other one named (`Lead: ...`).
    """
    from rich.padding import Padding
    from rich.text import Text

    main = next((i for i, c in enumerate(columns) if c.ratio is not None), 0)
    head = 0 if main != 0 and columns[0].no_wrap else None
    rest = [i for i in range(len(columns)) if i not in (head, main)]
    blocks: list[Any] = []
    for row in cells:
        short = [row[head]] if head is not None else []
        short += [f"{columns[i].header} {row[i]}" for i in rest if columns[i].ratio is None]
        long = [row[main], *(f"{columns[i].header}: {row[i]}" for i in rest if columns[i].ratio is not None)]
        first, *more = _packed(short, width - 2) or [""]
        blocks += [Text(first), *(Padding(Text(line), (0, 0, 0, 2)) for line in more)]
        blocks += [Padding(Text(line), (0, 0, 0, CARD_INDENT)) for line in long if line]
    return blocks


def _packed(pieces: list[str], width: int) -> list[str]:
    """`pieces` joined with " · " into lines of at most `width` cells, never splitting a piece."""
    from rich.cells import cell_len

    lines: list[str] = []
    for piece in pieces:
        joined = f"{lines[-1]} · {piece}" if lines else piece
        if lines and cell_len(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(piece)
    return lines


def _print_rows(console: Any, listing: Listing, rows: list[dict[str, Cell]], width: int) -> None:
    """The rows as one table, or a table per group; as cards when no table fits whole words.

    The layout is chosen once for all the rows shown, so every group's table looks the same.
    """
    columns = listing.columns
    cells = _shown_cells(columns, rows, width)
    needs = [_needed(c, [row[i] for row in cells], width) for i, c in enumerate(columns)]
    as_table = sum(needs) + GAP * (len(columns) - 1) <= width
    if not as_table:
        # A block gives its leading text the whole width: twice the table's budget.
        cells = _shown_cells(columns, rows, width, scale=2)
    least = [need if c.ratio is not None else None for c, need in zip(columns, needs, strict=True)]
    by_group = groups(listing, rows) if listing.group_by else {"": rows}
    counts = {group: len(found) for group, found in groups(listing).items()} if listing.group_by else {}
    for group, found in by_group.items():
        if listing.group_by:
            console.print()
            console.print(f"{one_line(group)} ({counts[group]})", style="bold", markup=False)
        # Groups need not be consecutive rows: each takes its cells by its rows' positions.
        group_cells = [cells[index] for index in _positions(rows, found)]
        if as_table:
            console.print(_rich_table(columns, group_cells, least, width))
        else:
            for block in _cards(columns, group_cells, width):
                console.print(block)


def _positions(rows: list[dict[str, Cell]], found: list[dict[str, Cell]]) -> list[int]:
    index = {id(row): i for i, row in enumerate(rows)}
    return [index[id(row)] for row in found]


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
    output that is not UTF-8, Rich draws the table with ASCII characters. Plan text is shown,
    never obeyed: control characters appear as escapes.
    """
    from rich.console import Console

    out = _Output(encoding)
    shown_width = table_width(width)
    console = Console(
        file=out,
        width=shown_width,
        highlight=False,
        # Plan text is shown as written: "[note]" is not Rich markup, ":x:" is not an emoji code.
        markup=False,
        emoji=False,
        soft_wrap=False,
        force_terminal=color,
        no_color=not color,
    )
    if listing.title:
        console.print(one_line(listing.title), style="bold", markup=False)
    if not listing.rows:
        console.print(one_line(listing.empty_message), markup=False)
    else:
        shown = listing.rows if not limit else listing.rows[:limit]
        _print_rows(console, listing, shown, shown_width)
        hidden = len(listing.rows) - len(shown)
        if hidden > 0:
            # Past MAX_TABLE_ROWS, `--limit 0` would be refused: only a machine format shows all.
            from cheplan.domain import caps

            how = (
                "use --limit 0 to show all, or --format csv/json"
                if len(listing.rows) <= caps.MAX_TABLE_ROWS
                else f"--limit shows up to {caps.MAX_TABLE_ROWS:,}; --format csv/json shows all"
            )
            console.print(f"… and {hidden} more rows not shown ({how}).", markup=False)
    for line in listing.footer:
        # A footer naming every one of 100,000 actions is cut as a cell would be.
        cut = line if len(line) <= cell_limit() else line[: cell_limit() - 1] + "…"
        console.print(visible(cut), markup=False)
    # Piped into a file or another program, padding at the ends of lines is only noise.
    return _TRAILING_SPACES.sub("", out.getvalue())
