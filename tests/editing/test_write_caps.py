"""No write produces a plan cheplan cannot read: every writer checks the read caps first.

The caps are defined once (domain/caps.py) and read when used, so shrinking one in a test
shrinks it for the reader and the writers alike: what these tests show is that the writer
refuses exactly what the reader would refuse.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from cheplan.domain import caps
from cheplan.loading import yaml_builder
from tests.conftest import SHIPPED_PLAN, RunCli

UPDATE = ("update", "5", "--status", "in_progress", "--date", "2020-10-01")


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    shutil.copyfile(SHIPPED_PLAN, path)
    return path


def test_an_update_that_would_take_the_plan_over_the_size_cap_is_refused(
    cli: RunCli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = plan_copy.read_bytes()
    cap = len(before) + 1_000
    monkeypatch.setattr(caps, "MAX_FILE_BYTES", cap)
    assert cli("validate", plan_copy).code == 0  # under the cap: read as ever
    result = cli(*UPDATE, "--note", "A long account of the meeting. " * 100, "--plan", plan_copy)
    assert result.code == 1, result.stderr
    assert f"over the {cap:,}-byte cap cheplan reads plans up to" in result.stderr
    assert "not changed" in result.stderr
    assert plan_copy.read_bytes() == before
    assert sorted(p.name for p in plan_copy.parent.iterdir()) == ["plan.yaml"]


def test_an_update_within_the_size_cap_is_written(
    cli: RunCli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caps, "MAX_FILE_BYTES", plan_copy.stat().st_size + 1_000)
    result = cli(*UPDATE, "--note", "Partners met.", "--plan", plan_copy)
    assert result.code == 0, result.stderr
    assert cli("validate", plan_copy).code == 0


def test_an_update_that_would_take_the_plan_over_the_value_budget_is_refused(
    cli: RunCli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The budget of YAML values: the result is parsed as the reader parses it, before it is written."""
    before = plan_copy.read_bytes()
    budget = values_in(before.decode("utf-8")) + 2  # the plan as it is, and not room for one more entry
    monkeypatch.setattr(yaml_builder, "MAX_NODES", budget)
    assert cli("validate", plan_copy).code == 0
    result = cli(*UPDATE, "--note", "Partners met.", "--plan", plan_copy)
    assert result.code == 1, result.stderr
    assert "values (texts, numbers, lists and mappings) in one file" in result.stderr  # the budget, named
    assert "would make the plan invalid" in result.stderr
    assert plan_copy.read_bytes() == before


def values_in(text: str) -> int:
    """Scalars, lists and mappings in the text, keys included: what the budget counts."""
    node = yaml.compose(text)
    count, stack = 0, [node]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, yaml.MappingNode):
            stack += [part for pair in item.value for part in pair]
        elif isinstance(item, yaml.SequenceNode):
            stack += item.value
    return count


@pytest.mark.parametrize("option", ["--note", "--by"])
def test_a_note_over_the_value_cap_is_a_usage_error_naming_it(cli: RunCli, plan_copy: Path, option: str) -> None:
    before = plan_copy.read_bytes()
    result = cli(*UPDATE, option, "x" * (caps.MAX_SCALAR_CHARS + 1), "--plan", plan_copy)
    assert result.code == 2, result.stderr
    assert f"is {caps.MAX_SCALAR_CHARS + 1:,} characters, over the {caps.MAX_SCALAR_CHARS:,}" in result.stderr
    assert plan_copy.read_bytes() == before


def test_a_note_at_the_value_cap_is_recorded_and_read_back(cli: RunCli, plan_copy: Path) -> None:
    note = "word " * (caps.MAX_SCALAR_CHARS // 5 - 1) + "last."
    assert len(note) == caps.MAX_SCALAR_CHARS
    result = cli(*UPDATE, "--note", note, "--plan", plan_copy)
    assert result.code == 0, result.stderr
    assert cli("validate", plan_copy).code == 0
