"""Schema validation: strict types, formats with hints, unknown and missing fields."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from cheplan.domain.model import Plan
from cheplan.domain.problems import Problem
from cheplan.domain.register import Register
from cheplan.loading.load import Source, validate_sources
from cheplan.loading.safe_yaml import parse_yaml
from cheplan.loading.schema import build_trusted
from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER, base_action, plan_data


def problems_for(text: str) -> list[Problem]:
    return validate_sources(Source(text, "p.yaml"), []).problems


def one_action_plan(**fields: Any) -> str:
    return yaml.safe_dump(plan_data([base_action(1, **fields)]), sort_keys=False)


def test_a_bare_decimal_reference_is_an_error_with_a_quoting_hint() -> None:
    text = one_action_plan().replace("- SELR-1", "- 1.10")
    [problem] = problems_for(text)
    assert "expected text, got the number 1.1" in problem.message
    assert "put it in quotes" in problem.message
    assert problem.line == text.splitlines().index("  - 1.10") + 1


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("2021-13", "there is no month 13"),
        ("Apr-20", 'did you mean "2020-04"'),
        ("2020-09-30", 'did you mean "2020-09"'),
        ("September", 'write months as "YYYY-MM"'),
    ],
)
def test_bad_months_get_a_hint(value: str, hint: str) -> None:
    [problem] = problems_for(one_action_plan(end=value))
    assert problem.code == "schema-format"
    assert hint in problem.message
    assert problem.message.startswith("actions[0].end:")


@pytest.mark.parametrize("value", ["2020-02-30", "2021-02-29", "20-01-01", "yesterday"])
def test_impossible_dates_are_errors(value: str) -> None:
    entry = [{"date": value, "status": "in_progress", "note": "x"}]
    [problem] = [p for p in problems_for(one_action_plan(status="in_progress", progress=entry)) if p.is_error]
    assert "date" in problem.message
    assert "YYYY-MM-DD" in problem.message


def test_leap_day_is_a_real_date() -> None:
    entry = [{"date": "2020-02-29", "status": "in_progress", "note": "x"}]
    assert problems_for(one_action_plan(status="in_progress", progress=entry)) == []


def test_unknown_field_points_at_the_key_with_a_suggestion() -> None:
    text = one_action_plan().replace("  status: not_reported", "  satus: not_reported")
    [problem] = problems_for(text)
    assert problem.code == "unknown-field"
    assert "did you mean 'status'" in problem.message
    line = text.splitlines().index("  satus: not_reported") + 1
    assert (problem.line, problem.column) == (line, 3)


def test_unknown_top_level_field_lists_what_is_allowed() -> None:
    data = plan_data()
    data["zzz"] = 1
    [problem] = problems_for(yaml.safe_dump(data, sort_keys=False))
    assert problem.code == "unknown-field"
    assert "expected one of" in problem.message
    assert "actions" in problem.message


def test_missing_field_is_reported_at_its_mapping() -> None:
    action = base_action(1)
    del action["outcomes"]
    [problem] = problems_for(yaml.safe_dump(plan_data([action]), sort_keys=False))
    assert (problem.code, problem.message) == ("missing-field", "missing required field 'outcomes'")


def test_unknown_status_suggests_the_closest() -> None:
    [problem] = problems_for(one_action_plan(status="in-progress"))
    assert "did you mean 'in_progress'" in problem.message


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"id": "1"}, "expected a whole number"),
        ({"id": True}, "expected a whole number"),
        ({"id": 0}, "must be at least 1"),
        ({"lead": "MPS"}, "expected a list"),
        ({"lead": []}, "must not be empty"),
        ({"lead": [False]}, "yes/no/on/off"),
        ({"action": ""}, "must not be empty"),
        ({"theme": "Root Causes"}, "lower-case words"),
        ({"recommendations": ["SELR 1"]}, 'did you mean "SELR-1"'),
        ({"recommendations": ["JSNA - 1.12"]}, 'did you mean "JSNA-1.12"'),
    ],
)
def test_wrong_types_and_formats(fields: dict[str, Any], expected: str) -> None:
    problems = problems_for(one_action_plan(**fields))
    assert any(expected in p.message for p in problems), problems


def test_every_schema_problem_is_reported_at_once_in_line_order() -> None:
    actions = [base_action(1, end="2021-13"), base_action(2, status="done"), base_action(3, lead="MPS")]
    problems = problems_for(yaml.safe_dump(plan_data(actions), sort_keys=False))
    assert len(problems) == 3
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_top_level_must_be_a_mapping() -> None:
    [problem] = problems_for("- just\n- a list\n")
    assert "expected a mapping" in problem.message
    assert (problem.line, problem.column) == (1, 1)


def test_trusted_rebuild_equals_validated_objects() -> None:
    """The cache's fast path must build exactly what pydantic builds."""
    validation = validate_sources(
        Source(SHIPPED_PLAN.read_text(encoding="utf-8"), "plan"),
        [Source(SHIPPED_REGISTER.read_text(encoding="utf-8"), "register")],
    )
    assert validation.ok
    raw_plan = parse_yaml(SHIPPED_PLAN.read_text(encoding="utf-8"), "plan").data
    raw_register = parse_yaml(SHIPPED_REGISTER.read_text(encoding="utf-8"), "register").data
    assert build_trusted(Plan, raw_plan) == validation.plan
    assert build_trusted(Register, raw_register) == validation.registers[0]


@pytest.mark.parametrize("before", [None, "some_plugin"])
def test_building_validators_leaves_the_host_environment_alone(
    monkeypatch: pytest.MonkeyPatch, before: str | None
) -> None:
    # cheplan switches pydantic's plugins off for its own validators only: a library user's
    # models, built later in the same process, keep theirs.
    import os

    from cheplan.domain.model import Plan
    from cheplan.loading import schema

    if before is None:
        monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    else:
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", before)
    monkeypatch.setattr(schema, "_ADAPTERS", {})
    schema._adapter(Plan)
    assert os.environ.get("PYDANTIC_DISABLE_PLUGINS") == before
