"""`--register FILE` adds a register to the default one; `--no-default-registers` leaves the default out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import SHIPPED_REGISTER, MakePlan, RunCli, base_action

JSNA = {
    "schema_version": 1,
    "source": {"code": "JSNA", "title": "Joint Strategic Needs Assessment"},
    "sections": [{"id": "one", "title": "Section one"}],
    "recommendations": [{"id": "JSNA-1.7", "section": "one", "title": "Item 1.7", "text": "Text of JSNA 1.7."}],
}


@pytest.fixture
def jsna(tmp_path: Path) -> Path:
    path = tmp_path / "jsna.yaml"
    path.write_text(yaml.safe_dump(JSNA), encoding="utf-8")
    return path


def sources(cli: RunCli, *args: str | Path, code: int = 0) -> list[str]:
    """The registers `trace` counts, by source code; `code` is 1 where the plan or a register has problems."""
    result = cli("trace", "--format", "json", "--as-of", "2020-10-01", *args)
    assert result.code == code, result.stderr
    return sorted({item["id"].split("-")[0] for item in json.loads(result.stdout)["recommendations"]})


def test_a_register_named_with_register_is_added_to_the_shipped_one(cli: RunCli, jsna: Path) -> None:
    assert sources(cli) == ["SELR"]
    # The shipped plan cites JSNA paragraphs this one-item register lacks: problems, traced anyway.
    assert sources(cli, "--register", jsna, code=1) == ["JSNA", "SELR"]


def test_no_default_registers_leaves_the_shipped_one_out(cli: RunCli, jsna: Path) -> None:
    assert sources(cli, "--register", jsna, "--no-default-registers", code=1) == ["JSNA"]


def test_no_default_registers_without_a_register_is_a_usage_error(cli: RunCli) -> None:
    result = cli("validate", "--no-default-registers")
    assert result.code == 2
    assert "--register FILE" in result.stderr


def test_naming_the_shipped_register_again_reads_it_once(cli: RunCli, tmp_path: Path) -> None:
    link = tmp_path / "same.yaml"
    link.symlink_to(SHIPPED_REGISTER)
    for again in (SHIPPED_REGISTER, link, SHIPPED_REGISTER.parent / ".." / "data" / SHIPPED_REGISTER.name):
        result = cli("validate", "--register", again)
        assert result.code == 0, result.stdout + result.stderr
        assert result.stdout == ""
    assert sources(cli, "--register", SHIPPED_REGISTER, "--register", SHIPPED_REGISTER) == ["SELR"]


def test_the_environment_sets_the_default_that_register_adds_to(
    cli: RunCli, jsna: Path, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHEPLAN_REGISTER", str(jsna))
    plan = make_plan([base_action(1, recommendations=["JSNA-1.7"])])
    assert sources(cli, "--plan", plan) == ["JSNA"]
    assert sources(cli, "--plan", plan, "--register", SHIPPED_REGISTER) == ["JSNA", "SELR"]


@pytest.mark.parametrize(
    "command",
    [["validate"], ["actions"], ["show", "1"], ["overdue"], ["due"], ["trace"], ["corrections"], ["diff"], ["update"]],
)
def test_every_command_that_reads_registers_offers_the_option(cli: RunCli, command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.code == 0
    assert "--no-default-registers" in result.stdout
