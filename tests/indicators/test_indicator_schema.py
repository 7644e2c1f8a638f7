"""Indicators in the plan file: each malformed field is an error at its line; the shipped data has none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cheplan.loading.load import Source, validate_sources
from tests.conftest import base_action, plan_data
from tests.indicators.examples import DIRECTORY, indicator
from tests.indicators.sheets import EXAMPLE, REPO


def problems(*indicators: dict[str, Any]) -> list[tuple[int, str, str]]:
    plan = plan_data([base_action(1)], organisations=DIRECTORY, indicators=list(indicators))
    text = yaml.safe_dump(plan, sort_keys=False)
    found = validate_sources(Source(text, "plan.yaml"), []).problems
    lines = text.splitlines()
    return [(p.line, lines[p.line - 1].strip(), p.message) for p in found]


def test_a_missing_baseline_is_an_error_at_the_indicator() -> None:
    without = indicator()
    del without["baseline"]
    [(_, text, message)] = problems(without)
    assert message == "missing required field 'baseline'"
    assert text == "- id: engagement"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "expected a finite number, got nan"),
        (float("inf"), "expected a finite number"),
        ("24", "expected a number, got '24'"),
        (True, "expected a number, got True"),
        (10.0**60, "is over 100, the most a percent can be"),
        (-3, "is below 0"),
    ],
)
def test_a_bad_value_is_an_error_at_its_line(value: object, message: str) -> None:
    [(_, text, found)] = problems(indicator(values=[{"period": "2020-Q2", "value": value}]))
    assert message in found
    assert text.startswith("value:")


@pytest.mark.parametrize(
    ("period", "message"),
    [("2020-Q5", "is not a period"), ("2020-13", "there is no month 13"), ("Q2 2020", "is not a period")],
)
def test_a_value_for_an_unknown_period_is_an_error_at_its_line(period: str, message: str) -> None:
    [(_, text, found)] = problems(indicator(values=[{"period": period, "value": 21}]))
    assert message in found
    assert text.startswith("- period:")


def test_a_target_before_the_baseline_is_an_error_at_the_target() -> None:
    [(_, text, found)] = problems(indicator(target={"value": 40, "by": "2019-Q4"}))
    assert "not after the baseline period" in found
    assert text.startswith("by:")


def test_the_shipped_plan_has_no_invented_indicators() -> None:
    data = yaml.safe_load((REPO / "data" / "plan_2020_21.yaml").read_text(encoding="utf-8"))
    assert "indicators" not in data


def test_the_example_plan_is_valid_and_labelled_illustrative() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.startswith("# ILLUSTRATIVE EXAMPLE, NOT EVIDENCE.")
    data = yaml.safe_load(text)
    assert "illustrative" in data["plan"]["title"]
    assert all("(illustrative)" in i["title"] for i in data["indicators"])
    register = Source.read(REPO / "data" / "elr_recommendations.yaml")
    assert validate_sources(Source(text, str(EXAMPLE)), [register]).problems == []


def test_the_json_schema_knows_indicators() -> None:
    import json

    schema = json.loads((REPO / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
    assert "indicators" in schema["properties"]
    assert Path(REPO / "schema" / "plan.schema.json").exists()
