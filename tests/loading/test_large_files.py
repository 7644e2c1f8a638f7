"""A large file's problems cost what a small file's cost: the same problems, found in bounded pieces.

Large-file paths (schema in pieces: schema_bounded; positions of the problems shown only:
yaml_positions) are switched on here by lowering their thresholds, so that files of a few
lines take them, and compared with the whole-file paths. The real sizes are measured by
benchmarks/budgets.py, never timed in a test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cheplan.domain import caps
from cheplan.domain.problems import MoreProblems, Problem
from cheplan.loading import problem_cap, safe_yaml, schema, schema_bounded, yaml_builder
from cheplan.loading.load import Source, validate_sources
from cheplan.loading.yaml_builder import position_index
from cheplan.loading.yaml_positions import positions_of
from tests.conftest import base_action, plan_data

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "plan_2020_21.yaml"


@pytest.fixture
def large_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file takes the large-file paths, in pieces of a few values."""
    monkeypatch.setattr(schema, "DIRECT_CHARS", 0)
    monkeypatch.setattr(schema_bounded, "CHUNK", 12)
    monkeypatch.setattr(safe_yaml, "FULL_INDEX_CHARS", 0)


def found(text: str) -> list[tuple[int, int, str, str, str]]:
    problems = validate_sources(Source(text, "p.yaml"), []).problems
    return [(p.line, p.column, p.code, p.severity, p.message) for p in problems]


def broken_plan() -> str:
    actions = [base_action(n) for n in range(1, 30)]
    actions[3]["colour"] = "blue"  # unknown field
    actions[7]["status"] = "finished"  # not a status
    del actions[11]["outcomes"]  # missing field
    actions[15]["lead"] = []  # must not be empty
    actions[19]["theme"] = "nonesuch"  # cross-check: unknown theme
    actions[23]["id"] = 2  # cross-check: duplicate id
    actions[25]["recommendations"] = [1, 2]  # numbers, not references
    data = plan_data(actions, extra_top="x")
    return yaml.safe_dump(data, sort_keys=False)


@pytest.mark.parametrize(
    "text",
    [
        SHIPPED.read_text(encoding="utf-8"),
        "a: {1: x, true: [y, {z: &q 1}], 2020-01-01: *q, null: n}\nb: [[1, 2], {c: d}]\n",
        "- a\n- [b, c]\n- {d: e}\n",
        "a: 1\na: [2]\nb: {c: 1}\n",
        "a: {&k colour: 1}\nb:\n  x: 0\n  *k : 2\n",  # an alias used as a key
    ],
)
def test_positions_of_chosen_paths_are_those_of_the_full_index(text: str) -> None:
    full = position_index(text)
    assert positions_of(text, list(full.values)).values == full.values
    for path in list(full.values)[::7]:
        one = positions_of(text, [path])
        assert one.values[path] == full.values[path]
        assert one.keys.get(path) == full.keys.get(path)
        assert one.locate((*path, "not there")) == full.locate((*path, "not there"))


def test_a_large_file_reports_the_same_problems_as_a_small_one(monkeypatch: pytest.MonkeyPatch) -> None:
    text = broken_plan()
    whole = found(text)
    assert {code for _, _, code, _, _ in whole} >= {"unknown-field", "schema", "missing-field"}
    monkeypatch.setattr(schema, "DIRECT_CHARS", 0)
    monkeypatch.setattr(schema_bounded, "CHUNK", 12)
    monkeypatch.setattr(safe_yaml, "FULL_INDEX_CHARS", 0)
    assert found(text) == whole


def test_a_large_valid_plan_builds_the_same_objects(large_paths: None) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    in_pieces = validate_sources(Source(text, "p.yaml"), [])
    assert in_pieces.plan is not None
    with pytest.MonkeyPatch.context() as undo:
        undo.setattr(schema, "DIRECT_CHARS", 10**9)
        undo.setattr(safe_yaml, "FULL_INDEX_CHARS", 10**9)
        whole = validate_sources(Source(text, "p.yaml"), [])
    assert in_pieces.plan == whole.plan
    assert in_pieces.problems == whole.problems


def test_a_mapping_with_many_unknown_keys_reports_each_up_to_the_cap(
    large_paths: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(problem_cap, "MAX_PROBLEMS_PER_FILE", 5)
    data = plan_data()
    data.update({f"extra{i}": i for i in range(40)})
    problems = validate_sources(Source(yaml.safe_dump(data, sort_keys=False), "p.yaml"), []).problems
    assert [p.code for p in problems] == ["unknown-field"] * 5 + ["more-problems"]
    more = problems[-1]
    assert isinstance(more, MoreProblems)
    assert (more.omitted, more.at_least) == (35, False)
    assert more.message.startswith("and 35 more problems in this file")
    # Unknown keys are counted one by one, never skipped, past the counting limit too: the
    # count stays exact when every other part is small enough to be validated whole...
    monkeypatch.setattr(schema_bounded, "STOP_COUNTING", 10)
    monkeypatch.setattr(schema_bounded, "CHUNK", max(schema_bounded.weight(v) for v in plan_data().values()))
    text = yaml.safe_dump(data, sort_keys=False)
    assert validate_sources(Source(text, "p.yaml"), []).problems == problems
    # ...and becomes "at least" when a large part is then left unvalidated.
    monkeypatch.setattr(schema_bounded, "CHUNK", 12)
    [*_, stopped] = validate_sources(Source(text, "p.yaml"), []).problems
    assert isinstance(stopped, MoreProblems)
    assert (stopped.omitted, stopped.at_least) == (35, True)


def test_past_the_counting_limit_checking_stops_and_says_at_least(
    large_paths: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `actions: [{}, {}, ...]`: every item misses every required field.
    monkeypatch.setattr(problem_cap, "MAX_PROBLEMS_PER_FILE", 5)
    monkeypatch.setattr(schema_bounded, "STOP_COUNTING", 30)
    text = yaml.safe_dump(plan_data([{} for _ in range(200)]), sort_keys=False)
    problems = validate_sources(Source(text, "p.yaml"), []).problems
    more = problems[-1]
    assert isinstance(more, MoreProblems)
    assert more.at_least
    assert 30 <= more.omitted < 200 * 8
    assert more.message.startswith(f"and at least {more.omitted:,} more problems (cheplan stopped counting there)")
    assert more.is_error


def test_when_cross_checking_stops_early_the_count_says_at_least(monkeypatch: pytest.MonkeyPatch) -> None:
    # Schema errors are all counted (a small file, validated whole), but the cross-checks stop in a
    # hopeless list of actions: the unknown themes of the last five are never looked at.
    monkeypatch.setattr(problem_cap, "MAX_PROBLEMS_PER_FILE", 5)
    monkeypatch.setattr(schema_bounded, "STOP_COUNTING", 30)
    actions: list[dict[str, Any]] = [{} for _ in range(200)] + [
        base_action(n, theme="nowhere") for n in range(201, 206)
    ]
    text = yaml.safe_dump(plan_data(actions), sort_keys=False)
    validation = validate_sources(Source(text, "p.yaml"), [])
    more = validation.problems[-1]
    assert isinstance(more, MoreProblems)
    assert more.at_least
    assert validation.counts().words().startswith("at least ")


def test_every_error_is_counted_below_the_counting_limit(large_paths: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(problem_cap, "MAX_PROBLEMS_PER_FILE", 5)
    text = yaml.safe_dump(plan_data([{} for _ in range(20)]), sort_keys=False)
    with pytest.MonkeyPatch.context() as undo:
        undo.setattr(schema, "DIRECT_CHARS", 10**9)
        whole = validate_sources(Source(text, "p.yaml"), []).problems
    in_pieces = validate_sources(Source(text, "p.yaml"), []).problems
    assert isinstance(whole[-1], MoreProblems)
    assert isinstance(in_pieces[-1], MoreProblems)
    assert in_pieces[-1].omitted == whole[-1].omitted
    assert not in_pieces[-1].at_least


def test_a_plan_at_the_value_budget_is_read_and_one_value_more_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    text = yaml.safe_dump(plan_data([base_action(n) for n in range(1, 4)]), sort_keys=False)
    values = _values_in(text)
    monkeypatch.setattr(yaml_builder, "MAX_NODES", values)
    accepted = validate_sources(Source(text, "p.yaml"), [])
    assert accepted.ok
    assert accepted.plan is not None
    assert len(accepted.plan.actions) == 3
    monkeypatch.setattr(yaml_builder, "MAX_NODES", values - 1)
    [refused] = validate_sources(Source(text, "p.yaml"), []).problems
    assert refused.code == "yaml-too-big"
    assert refused.line == text.count("\n")  # the last value is the one over


def _values_in(text: str) -> int:
    """Scalars, lists and mappings in the text, keys included: what MAX_NODES counts."""
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


def test_the_budget_message_says_what_a_plan_holds() -> None:
    assert f"more than {caps.MAX_NODES:,} values" in yaml_builder.NODES_MESSAGE
    assert "100,000 one-line actions about 1.9 million" in yaml_builder.NODES_MESSAGE
    assert caps.MAX_NODES >= 1_950_000  # benchmarks' 100,000 one-line actions must load


def test_problems_past_the_cap_are_counted_without_their_positions(
    large_paths: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(problem_cap, "MAX_PROBLEMS_PER_FILE", 3)
    asked: list[int] = []
    real = positions_of

    def counting(text: str, wanted: object) -> object:
        paths = list(wanted)  # type: ignore[call-overload]
        asked.append(len(paths))
        return real(text, paths)

    monkeypatch.setattr(safe_yaml, "positions_of", counting)
    actions = [base_action(n, theme="nonesuch") for n in range(1, 40)]
    problems = validate_sources(Source(yaml.safe_dump(plan_data(actions), sort_keys=False), "p.yaml"), []).problems
    assert [p.code for p in problems] == ["unknown-theme"] * 3 + ["more-problems"]
    assert len(asked) == 1
    assert asked[0] <= 4
    assert all(isinstance(p, Problem) for p in problems)
