"""The fast JSON encoder writes exactly what `json.dumps(data, indent=2, ensure_ascii=False)` writes."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cheplan.outputs.json_text import dumps_indented, json_pieces
from cheplan.outputs.listing import Listing

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)
row = st.fixed_dictionaries(
    {"id": st.integers(), "action": st.text(), "lead": st.lists(st.text(), max_size=3), "last": st.none() | st.text()}
)


def stdlib(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


@given(values)
def test_any_json_value_is_written_as_the_standard_library_writes_it(data: Any) -> None:
    assert dumps_indented(data) == stdlib(data)


@given(st.lists(row, min_size=1, max_size=20))
def test_rows_of_one_shape_are_written_as_the_standard_library_writes_them(rows: list[dict[str, Any]]) -> None:
    assert dumps_indented(rows) == stdlib(rows)


@pytest.mark.parametrize(
    "data",
    [
        [{"a%s": "%d", "b": '\u2028\x1b[31m"\\'}, {"a%s": "%%", "b": ""}],  # % in keys and values, escapes
        [{"a": 1}, {"b": 1}],  # rows of different shapes
        [{"a": [1, "x"]}, {"a": ["y"]}],  # a list column that is not all text
        [{"a": []}, {"a": ["x"]}, {"a": {}}],
        [{}, {}],
        {1: "int key", None: "null key"},
        [math.inf, -math.inf, math.nan, 1e300, -0.0],
        [{"n": True}, {"n": 3}, {"n": 2.5}],
        ("a", ("b",)),
    ],
)
def test_unusual_values_are_written_as_the_standard_library_writes_them(data: Any) -> None:
    assert dumps_indented(data) == stdlib(data)


def test_what_json_cannot_write_fails_as_json_fails() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented([{"a": object()}])


def _records_listing(keys: tuple[str, ...], records: list[tuple[Any, ...]]) -> Listing:
    return Listing(
        data=lambda: [dict(zip(keys, record, strict=True)) for record in records],
        columns=[],
        rows=[],
        records=(keys, lambda: iter(records)),
    )


@given(st.lists(st.tuples(st.integers(), st.text(), st.lists(st.text(), max_size=3), values), max_size=12))
def test_streamed_pieces_join_to_what_the_standard_library_writes(records: list[tuple[Any, ...]]) -> None:
    listing = _records_listing(("id", "action", "lead", "rag"), records)
    with patch("cheplan.outputs.json_text.ROWS_PER_PIECE", 5):  # several pieces from a dozen rows
        text = "".join(json_pieces(listing))
    assert text == stdlib(listing.json_data()) + "\n"


def test_parts_shared_between_rows_are_written_in_full_in_each_row() -> None:
    shared_rag = {"rating": "red", "reasons": ["late"], "override": None}
    shared_list = ["x", "y"]
    records = [(n, shared_list, shared_rag, None, "t" if n % 2 else None) for n in range(7)]
    listing = _records_listing(("id", "owners", "rag", "revision", "last"), records)
    assert "".join(json_pieces(listing)) == stdlib(listing.json_data()) + "\n"


def test_a_stream_of_rows_json_cannot_write_fails_as_json_fails() -> None:
    listing = _records_listing(("a",), [(object(),)])
    with pytest.raises(TypeError, match="not JSON serializable"):
        "".join(json_pieces(listing))


def test_overdue_json_streamed_is_the_listing_s_data_as_json() -> None:
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import resolve_plan, resolve_registers
    from cheplan.outputs.due_listings import Scope, overdue_listing
    from cheplan.questions.actions import overdue

    loaded = load_plan(resolve_plan(None), resolve_registers(None))
    on = date(2021, 4, 1)
    rows = overdue(loaded.plan, on)
    listing = overdue_listing(loaded.plan, rows, Scope(on, len(rows), len(rows), False), for_people=False)
    assert len(rows) > 30
    with patch("cheplan.outputs.json_text.ROWS_PER_PIECE", 7):
        assert "".join(json_pieces(listing)) == stdlib(listing.json_data()) + "\n"
