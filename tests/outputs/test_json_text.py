"""The fast JSON encoder writes exactly what `json.dumps(data, indent=2, ensure_ascii=False)` writes."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cheplan.outputs.json_text import dumps_indented

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
