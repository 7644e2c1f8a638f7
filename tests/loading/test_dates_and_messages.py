"""Plans every tool reads alike, and progress dated in the future."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from cheplan.loading.load import Source, validate_sources
from cheplan.loading.safe_yaml import parse_yaml
from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER, MakePlan, RunCli, base_action, plan_data


def test_an_unquoted_date_is_a_warning_with_the_quoting_hint() -> None:
    doc = parse_yaml("plan:\n  date: 2020-05-01\n", "p.yaml")
    [problem] = doc.problems
    assert (problem.code, problem.severity, problem.line, problem.column) == ("unquoted-date", "warning", 2, 9)
    assert 'write "2020-05-01"' in problem.message
    assert doc.data == {"plan": {"date": "2020-05-01"}}  # still read as the text it is


@pytest.mark.parametrize("text", ['date: "2020-05-01"', "date: '2020-05-01'", "end: 2020-05", "note: on 2020-05-01"])
def test_quoted_dates_months_and_text_are_fine(text: str) -> None:
    assert parse_yaml(text, "p.yaml").problems == []


def test_other_yaml_readers_do_read_an_unquoted_date_as_a_date() -> None:
    # Why the warning matters: the published schema says a date is a string.
    assert yaml.safe_load("date: 2020-05-01") == {"date": date(2020, 5, 1)}


def test_validate_warns_about_an_unquoted_date_and_strict_fails(tmp_path: Path, cli: RunCli) -> None:
    text = SHIPPED_PLAN.read_text(encoding="utf-8")
    assert 'date: "2020-04-07"' in text
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace('date: "2020-04-07"', "date: 2020-04-07"), encoding="utf-8")
    result = cli("validate", plan, "--register", SHIPPED_REGISTER)
    assert result.code == 0
    assert "warning: date 2020-04-07 is not in quotes" in result.stdout
    assert "[unquoted-date]" in result.stdout
    assert cli("validate", plan, "--register", SHIPPED_REGISTER, "--strict").code == 1


def schema_message(status: str) -> str:
    plan = plan_data([base_action(1, status=status)])
    [problem] = validate_sources(Source(yaml.safe_dump(plan, sort_keys=False), "p.yaml"), []).problems
    return problem.message


def test_not_allowed_here_lists_the_allowed_values_once() -> None:
    message = schema_message("finished")
    assert "is not allowed here" in message
    assert message.count("planned") == 1
    assert message.count("dropped") == 1


def test_not_allowed_here_still_suggests_a_near_miss() -> None:
    message = schema_message("complet")
    assert message.count("planned") == 1
    assert message.endswith("(did you mean 'complete'?)")


def future_plan(make_plan: MakePlan) -> Path:
    entry = {"date": "2999-01-01", "status": "in_progress", "note": "Year mistyped."}
    return make_plan([base_action(1, status="in_progress", progress=[entry])])


def test_validate_warns_about_progress_dated_after_today(make_plan: MakePlan, cli: RunCli) -> None:
    plan = future_plan(make_plan)
    result = cli("validate", plan, "--register", SHIPPED_REGISTER)
    assert result.code == 0
    assert "[progress-in-future]" in result.stdout
    assert f"after today ({date.today().isoformat()})" in result.stdout
    assert cli("validate", plan, "--register", SHIPPED_REGISTER, "--strict").code == 1


def test_without_today_the_core_does_not_judge_future_dates(make_plan: MakePlan) -> None:
    text = future_plan(make_plan).read_text(encoding="utf-8")
    assert validate_sources(Source(text, "p.yaml"), []).problems == []
    [problem] = validate_sources(Source(text, "p.yaml"), [], today=date(2998, 12, 31)).problems
    assert problem.code == "progress-in-future"
    assert validate_sources(Source(text, "p.yaml"), [], today=date(2999, 1, 1)).problems == []
