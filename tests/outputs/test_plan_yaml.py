"""The plan text `rollover` and `init` write: the same bytes PyYAML's representer wrote (the
way it was made before it was streamed as events), and exactly as many values as counted."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cheplan.loading import yaml_builder
from cheplan.loading.load import Source, validate_sources
from cheplan.loading.safe_yaml import parse_yaml
from cheplan.outputs.plan_yaml import WrittenSize, plan_text, written_size
from cheplan.questions.rollover import roll_over
from tests.conftest import SHIPPED_PLAN


def represented(data: Any, comment: str) -> str:
    """The text as PyYAML's dump wrote it, with the plan's rules for text: the reference."""
    base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[misc]
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def strings(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        dated = len(value) >= 7 and value[:4].isdigit() and value[4:5] == "-"
        style = "|" if "\n" in value else '"' if dated else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, strings)
    body = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    return "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines()) + body


def _shipped() -> Any:
    validation = validate_sources(Source.read(SHIPPED_PLAN), [])
    assert validation.plan is not None
    return validation


def test_the_shipped_plan_and_its_rollover_are_written_as_the_representer_wrote_them() -> None:
    validation = _shipped()
    assert validation.plan is not None
    made = roll_over(
        validation.documents[0], validation.plan, to="2021/22", period=("2021-04", "2022-03"),
        as_of=date(2021, 3, 31), title=None,
    )  # fmt: skip
    for data in (validation.documents[0], made.data):
        assert plan_text(data, "Made by a test.\nTwo lines.") == represented(data, "Made by a test.\nTwo lines.")


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30) | st.sampled_from(
    ["2021-03", "2021-03-31", "yes", "null", "1:20", "0o17", "~", "- a", "a: b", "#x", "line\nline\n", " pad "]
)
SCALAR = TEXT | st.integers(-(10**6), 10**6) | st.booleans() | st.none() | st.floats(allow_nan=False)
DATA = st.recursive(
    SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=25
)


@given(st.dictionaries(TEXT, DATA, min_size=1, max_size=5))
def test_any_data_is_written_as_the_representer_wrote_it(data: dict[str, Any]) -> None:
    assert plan_text(data, "c") == represented(data, "c")


@given(st.dictionaries(TEXT, DATA, min_size=1, max_size=5))
def test_the_count_is_the_values_a_reader_finds(data: dict[str, Any]) -> None:
    text = plan_text(data, "c")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_builder, "MAX_NODES", written_size(data).values)
        assert not [p for p in parse_yaml(text, "p.yaml").problems if p.code == "yaml-too-big"]
        patch.setattr(yaml_builder, "MAX_NODES", written_size(data).values - 1)
        assert [p.code for p in parse_yaml(text, "p.yaml").problems] == ["yaml-too-big"]


def test_a_value_shared_in_the_data_is_written_out_each_time_and_counted_each_time() -> None:
    shared = {"code": "SELR", "ids": [1, 2]}
    data = {"a": shared, "b": shared}
    text = plan_text(data, "c")
    assert "&" not in text
    assert "*" not in text
    assert parse_yaml(text, "p.yaml").data == data
    assert written_size(data).values == 1 + 2 * (1 + 7)  # each: its key, the mapping, 2 keys, 2 values, 2 ids


def test_the_count_of_text_is_a_lower_bound_of_the_bytes() -> None:
    data = _shipped().documents[0]
    assert written_size(data).characters <= len(plan_text(data, "").encode("utf-8"))


def test_a_key_that_is_not_text_is_counted_and_written() -> None:
    data = {"a": {1: "one", "b": [True, None]}}
    text = plan_text(data, "c")
    assert "1: one" in text
    assert written_size(data) == WrittenSize(values=9, characters=5)  # the key 1 is a number, not text
