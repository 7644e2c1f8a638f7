"""`--lead ORG`: one option, one resolver, one wording, on every command that takes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli

AS_OF = ("--as-of", "2020-10-01")
# Every command that takes --lead, with what it needs besides.
COMMANDS: dict[str, list[str]] = {
    "actions": [],
    "overdue": [*AS_OF],
    "due": [*AS_OF],
    "stale": [*AS_OF],
    "calendar": [*AS_OF],
    "report": [*AS_OF],
    "returns export": [*AS_OF, "--out"],
}


def _run(cli: RunCli, command: str, tmp_path: Path, lead: str) -> tuple[int, str, str]:
    args: list[str | Path] = [*command.split(), *COMMANDS[command]]
    if args[-1] == "--out":
        args.append(tmp_path / "workbooks")
    result = cli(*args, "--lead", lead)
    return result.code, result.stdout, result.stderr


@pytest.mark.parametrize("lead", ["", " ", "\t \n"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_empty_lead_is_a_usage_error_not_everyone(cli: RunCli, tmp_path: Path, command: str, lead: str) -> None:
    # An unset shell variable (`--lead "$ORG"`) must not widen the run to every organisation.
    code, stdout, stderr = _run(cli, command, tmp_path, lead)
    assert code == 2, stderr
    assert stdout == ""
    assert stderr == (
        "cheplan: error: --lead is empty: give an organisation's id, name or alias"
        " (`cheplan organisations` lists them)\n"
    )
    assert not (tmp_path / "workbooks").exists()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_lead_that_matches_nothing_is_worded_alike_everywhere(cli: RunCli, tmp_path: Path, command: str) -> None:
    code, _, stderr = _run(cli, command, tmp_path, "Nobody At All")
    assert code == 2
    assert "cheplan: error: --lead 'Nobody At All' matches no lead organisation (" in stderr


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_describes_lead_in_the_same_words(
    cli: RunCli, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    result = cli(*command.split(), "--help")
    assert result.code == 0
    words = " ".join(result.stdout.split())
    assert (
        "-l, --lead ORG Only this organisation's actions (id, name or alias, any case; else part of one),"
        " with those of All." in words
    )
