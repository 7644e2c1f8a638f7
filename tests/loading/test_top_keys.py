"""Where the parser found the top-level keys (what a rounds-only edit's validation starts from)."""

from __future__ import annotations

import pytest

from cheplan.loading import yaml_builder
from cheplan.loading.safe_yaml import parse_yaml


def test_each_key_of_a_block_mapping_with_its_line_and_column() -> None:
    text = "# a comment\nplan:\n  title: x\nrounds:\n  - id: a\n? quoted\n: 1\n"
    assert parse_yaml(text, "p.yaml").top_keys == [("plan", 1, 0), ("rounds", 3, 0), ("quoted", 5, 2)]


@pytest.mark.parametrize("text", ["{plan: 1, rounds: []}\n", "- plan\n", "plan\n"])
def test_none_when_the_top_level_is_no_block_mapping(text: str) -> None:
    assert parse_yaml(text, "p.yaml").top_keys == []


def test_none_past_the_cap_so_a_file_of_a_million_keys_keeps_no_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_builder, "MAX_TOP_KEYS", 3)
    assert len(parse_yaml("a: 1\nb: 2\nc: 3\n", "p.yaml").top_keys) == 3
    assert parse_yaml("a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n", "p.yaml").top_keys == []
