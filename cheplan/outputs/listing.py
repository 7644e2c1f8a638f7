"""What a listing command produces, before it is rendered: data for machines, a table for people.

Every listing command builds a :class:`Listing`. Renderers (``cheplan.outputs.formats``) turn it into
a Rich table, JSON, CSV or Markdown; they are chosen by name from a registry and never need
to know which command made the listing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Cell = str | int | float | list[str] | list[int] | None


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    # A table shortens the cell to this many characters at 80 columns (more when wider);
    # Markdown (board papers), CSV and JSON always carry it whole.
    max_chars: int | None = None
    # What a cell of ", "-separated items lists (e.g. "action"): a table then cuts it after a
    # whole item and says how many it left out ("… and 99,950 more actions").
    items: str | None = None
    justify: str = "left"
    # Rich gives the table's spare width to columns by ratio; None keeps a column tight.
    ratio: int | None = None
    no_wrap: bool = False
    min_width: int | None = None
    # Caps a short column (a status, a date) so the text columns keep room at 80 columns.
    max_width: int | None = None
    # What people see for a missing value (e.g. "never"); machines get an empty cell.
    when_empty: str = ""
    # How people read a value (e.g. a status code as words); machines get the value itself.
    human: Callable[[Any], str] | None = None


# Tables stop after this many rows unless --limit says otherwise; other formats are never cut.
DEFAULT_TABLE_LIMIT = 200


@dataclass
class Listing:
    """A command's result: `data` is the JSON contract, `columns`/`rows` the tabular view.

    `data` may be a function that builds it: then only a machine format pays for it (the JSON
    of `overdue` rates every action, which the table does not show).
    """

    data: Any | Callable[[], Any]
    columns: list[Column]
    rows: list[dict[str, Cell]]
    title: str | None = None
    # Rows carrying the same value under this key are shown as one group (e.g. per lead).
    group_by: str | None = None
    # Lines for people after the table (a summary); machine formats leave them out.
    footer: list[str] = field(default_factory=list)
    # Shown instead of an empty table.
    empty_message: str = "Nothing to show."
    # When the JSON contract is a list of mappings with the same keys: those keys, and a function
    # making each mapping's values in that order, one row at a time. JSON is then written a slice
    # of rows at a time, never whole in memory; `data` must make `dict(zip(keys, values))` of each.
    records: tuple[tuple[str, ...], Callable[[], Iterable[tuple[Any, ...]]]] | None = None
    # When the records are not the whole contract but one key's value in the mapping `data`
    # makes (one recommendation's 100,000 action details): that key. `data` then holds any
    # stand-in there; the records take its place, the other keys are written as they are.
    records_key: str | None = None

    def json_data(self) -> Any:
        data = self.data() if callable(self.data) else self.data
        if self.records_key is None or self.records is None:
            return data
        keys, make = self.records
        return data | {self.records_key: [dict(zip(keys, values, strict=True)) for values in make()]}

    def json_records(self) -> tuple[tuple[str, ...], Iterable[tuple[Any, ...]]] | None:
        """The JSON contract's keys and its rows' values one row at a time, when the listing has them."""
        if self.records is None:
            return None
        keys, make = self.records
        return keys, make()
