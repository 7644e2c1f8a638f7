"""`cheplan validate` through the CLI: exit codes, file resolution, output streams."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER, MakePlan, RunCli, base_action

PROBLEM_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): ")


def test_shipped_plan_is_valid_exit_0(cli: RunCli) -> None:
    result = cli("validate")
    assert result.code == 0
    assert result.stdout == ""
    assert "38 actions, 0 problems" in result.stderr
    assert "source corrections recorded" in result.stderr


def test_valid_fixture_plan_exit_0(cli: RunCli, make_plan: MakePlan) -> None:
    result = cli("validate", make_plan())
    assert result.code == 0
    assert "1 action, 0 problems" in result.stderr


def test_problems_exit_1_each_at_file_line_col(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan(
        [
            base_action(1, end="2021-13"),
            base_action(2, theme="nope", recommendations=["SELR-99"]),
            base_action(2),
        ]
    )
    result = cli("validate", plan)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4  # bad month, unknown theme, unknown recommendation, duplicate id
    for line in lines:
        match = PROBLEM_LINE.match(line)
        assert match, line
        assert match["file"] == str(plan)
    numbers = [int(m["line"]) for m in map(PROBLEM_LINE.match, lines) if m]
    assert numbers == sorted(numbers)
    assert "4 problems" in result.stderr


def test_malformed_yaml_exit_1_with_position(cli: RunCli, make_plan: MakePlan) -> None:
    result = cli("validate", make_plan(text="schema_version: 1\nplan: [unclosed\n"))
    assert result.code == 1
    assert PROBLEM_LINE.match(result.stdout)
    assert "malformed YAML" in result.stdout


def test_missing_file_exit_2(cli: RunCli, tmp_path: Path) -> None:
    result = cli("validate", tmp_path / "nope.yaml")
    assert result.code == 2
    assert "no such file" in result.stderr
    assert result.stdout == ""


def test_directory_exit_2(cli: RunCli, tmp_path: Path) -> None:
    assert cli("validate", tmp_path).code == 2


def test_utf16_file_exit_2(cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(SHIPPED_PLAN.read_text(encoding="utf-8").encode("utf-16"))
    result = cli("validate", path)
    assert result.code == 2
    assert "UTF-16" in result.stderr


def test_unknown_option_is_a_usage_error_exit_2(cli: RunCli) -> None:
    result = cli("validate", "--no-such-option")
    assert result.code == 2
    assert "No such option" in result.stderr


def test_unreadable_register_exit_2(cli: RunCli, tmp_path: Path) -> None:
    result = cli("validate", "--register", tmp_path / "missing.yaml")
    assert result.code == 2


def test_register_problems_are_reported_in_the_register_file(cli: RunCli, tmp_path: Path) -> None:
    register = tmp_path / "reg.yaml"
    register.write_text(
        SHIPPED_REGISTER.read_text(encoding="utf-8").replace("section: enforcement", "section: enforcment", 1)
    )
    result = cli("validate", "--register", register)
    assert result.code == 1
    assert result.stdout.startswith(f"{register}:")
    assert "did you mean 'enforcement'" in result.stdout


def test_without_a_register_selr_references_are_not_checked(cli: RunCli, make_plan: MakePlan, tmp_path: Path) -> None:
    other = tmp_path / "jsna.yaml"
    other.write_text(
        "schema_version: 1\nsource: {code: JSNA, title: J}\nsections: [{id: s, title: S}]\n"
        "recommendations: [{id: JSNA-1.7, section: s, title: t, text: x}]\n"
    )
    plan = make_plan([base_action(1, recommendations=["SELR-99", "JSNA-1.7"])])
    assert cli("validate", plan).code == 1  # the shipped ELR register is the default
    assert cli("validate", plan, "--register", other).code == 1  # --register adds to it
    assert cli("validate", plan, "--register", other, "--no-default-registers").code == 0


def test_plan_resolution_order(cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = make_plan([base_action(1, end="nope")])
    fine = make_plan()
    monkeypatch.setenv("CHEPLAN_PLAN", str(broken))
    assert cli("validate").code == 1  # the environment beats the shipped plan
    assert cli("validate", "--plan", fine).code == 0  # --plan beats the environment
    assert cli("validate", fine).code == 0


def test_warnings_do_not_fail_unless_strict(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, start="2019-01", end="2019-06")])  # before the plan period
    result = cli("validate", plan)
    assert result.code == 0
    assert "warning:" in result.stdout
    assert cli("validate", plan, "--strict").code == 1


def test_help_is_exit_0(cli: RunCli) -> None:
    result = cli("--help")
    assert result.code == 0
    for command in ("validate", "actions", "overdue", "trace"):
        assert command in result.stdout


def test_no_arguments_shows_help(cli: RunCli) -> None:
    result = cli()
    assert result.code == 2  # no command is a usage error: a script that forgot one must not pass
    assert "Usage" in result.stdout + result.stderr


def test_version(cli: RunCli) -> None:
    from cheplan import __version__

    result = cli("--version")
    assert (result.code, result.stdout.strip()) == (0, f"cheplan {__version__}")
