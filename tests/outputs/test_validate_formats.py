"""`cheplan validate --format text|github|json`, severities and --strict, several plan files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_PLAN, MakePlan, RunCli, base_action


@pytest.fixture
def invalid_plan(make_plan: MakePlan) -> Path:
    return make_plan([base_action(1, theme="nope")])


@pytest.fixture
def warning_plan(make_plan: MakePlan) -> Path:
    """Valid, with one warning: the same recommendation cited twice."""
    return make_plan([base_action(1, recommendations=["SELR-1", "SELR-1"])])


def test_text_is_the_default(cli: RunCli, invalid_plan: Path) -> None:
    result = cli("validate", invalid_plan)
    assert result.code == 1
    assert result.stdout.startswith(f"{invalid_plan}:")
    assert "[unknown-theme]" in result.stdout


def test_github_format_emits_one_annotation_per_problem(cli: RunCli, invalid_plan: Path) -> None:
    result = cli("validate", invalid_plan, "--format", "github")
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::error file=")
    assert ",title=cheplan unknown-theme::" in lines[0]
    assert "1 problem" in result.stderr  # the summary stays on stderr


def test_github_actions_environment_selects_github(
    cli: RunCli, invalid_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli("validate", invalid_plan).stdout.startswith("::error ")


def test_an_explicit_format_wins_over_github_actions(
    cli: RunCli, invalid_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli("validate", invalid_plan, "-f", "text").stdout.startswith(f"{invalid_plan}:")


def test_github_actions_other_values_keep_text(
    cli: RunCli, invalid_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert cli("validate", invalid_plan).stdout.startswith(f"{invalid_plan}:")


def test_json_format_is_a_list_of_problems(cli: RunCli, invalid_plan: Path) -> None:
    result = cli("validate", invalid_plan, "--format", "json")
    assert result.code == 1
    problems = json.loads(result.stdout)
    assert [p["code"] for p in problems] == ["unknown-theme"]
    assert set(problems[0]) == {"file", "line", "column", "severity", "code", "message"}
    assert problems[0]["severity"] == "error"
    assert problems[0]["file"] == str(invalid_plan)


def test_json_format_of_a_valid_plan_is_an_empty_list(cli: RunCli) -> None:
    result = cli("validate", SHIPPED_PLAN, "--format", "json")
    assert result.code == 0
    assert json.loads(result.stdout) == []


def test_unknown_format_is_a_usage_error(cli: RunCli) -> None:
    assert cli("validate", "--format", "xml").code == 2


@pytest.mark.parametrize(("fmt", "marker"), [("text", "warning: "), ("github", "::warning "), ("json", '"warning"')])
def test_warnings_are_reported_but_do_not_fail(cli: RunCli, warning_plan: Path, fmt: str, marker: str) -> None:
    result = cli("validate", warning_plan, "--format", fmt)
    assert result.code == 0
    assert marker in result.stdout
    assert "duplicate-reference" in result.stdout
    assert "0 errors, 1 warning" in result.stderr


def test_strict_makes_warnings_fail(cli: RunCli, warning_plan: Path) -> None:
    result = cli("validate", warning_plan, "--strict")
    assert result.code == 1
    assert "warning: " in result.stdout


def test_strict_on_a_clean_plan_passes(cli: RunCli, make_plan: MakePlan) -> None:
    assert cli("validate", make_plan(), "--strict").code == 0


def test_several_plans_each_summarised_worst_exit_code(
    cli: RunCli, make_plan: MakePlan, invalid_plan: Path, warning_plan: Path
) -> None:
    valid = make_plan()
    result = cli("validate", valid, warning_plan, invalid_plan)
    assert result.code == 1
    summaries = result.stderr.splitlines()
    assert len(summaries) == 3
    assert summaries[0].startswith(f"{valid}: 1 action, 0 problems")
    assert summaries[1].startswith(f"{warning_plan}: 1 action, 0 errors, 1 warning")
    assert summaries[2].startswith(f"{invalid_plan}: 1 action, 1 problem")
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {str(warning_plan), str(invalid_plan)}


def test_several_valid_plans_exit_0(cli: RunCli, make_plan: MakePlan) -> None:
    result = cli("validate", make_plan(), make_plan())
    assert result.code == 0
    assert len(result.stderr.splitlines()) == 2


def test_several_plans_json_is_one_list(cli: RunCli, invalid_plan: Path, warning_plan: Path) -> None:
    result = cli("validate", warning_plan, invalid_plan, "--format", "json")
    problems = json.loads(result.stdout)
    assert sorted(p["file"] for p in problems) == sorted([str(warning_plan), str(invalid_plan)])


def test_an_unreadable_file_among_several_exits_2_and_the_others_are_still_checked(
    cli: RunCli, invalid_plan: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "plan_missing.yaml"
    result = cli("validate", missing, invalid_plan)
    assert result.code == 2
    assert f"{missing}: no such file" in result.stderr
    assert "[unknown-theme]" in result.stdout


def test_register_problems_are_reported_once_for_several_plans(
    cli: RunCli, make_plan: MakePlan, tmp_path: Path
) -> None:
    register = tmp_path / "register.yaml"
    register.write_text(
        "schema_version: 1\nsource: {code: SELR, title: T}\nsections: [{id: s, title: S}]\n"
        "recommendations:\n  - {id: SELR-1, section: nope, title: One, text: Do one.}\n",
        encoding="utf-8",
    )
    result = cli("validate", make_plan(), make_plan(), "--register", register)
    assert result.code == 1
    assert result.stdout.count("[unknown-section]") == 1
