"""Each command's --help reads as the docs do: options named by what they take (FILE, ORG,
TEXT, N), not by a Python type, and every listing command offers the shared output options."""

from __future__ import annotations

import re

import pytest

from tests.conftest import RunCli

LISTINGS = ["actions", "overdue", "due", "trace", "corrections", "organisations", "stale"]
FILTERED = ["actions", "overdue", "due", "stale"]
EVERY = [*LISTINGS, "show", "update", "calendar", "report", "validate", "schema", "diff", "init", "rollover"]


def _help(cli: RunCli, *command: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    result = cli(*command, "--help")
    assert result.code == 0, result
    return result.stdout


@pytest.mark.parametrize("command", [*EVERY, "returns export", "returns import"])
def test_no_option_is_described_by_a_python_type(command: str, cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _help(cli, *command.split(), monkeypatch=monkeypatch)
    assert not re.search(r"<(path|str|int|float|int range|text)>", text), text
    assert all(len(line) <= 80 for line in text.splitlines()), text


@pytest.mark.parametrize("command", LISTINGS)
def test_listing_commands_share_the_output_options(command: str, cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _help(cli, command, monkeypatch=monkeypatch)
    assert "<table|json|csv|csv-excel|markdown>" in text
    assert "--limit N" in text
    assert "--plan FILE" in text


@pytest.mark.parametrize("command", FILTERED)
def test_filters_name_what_they_take(command: str, cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _help(cli, command, monkeypatch=monkeypatch)
    assert "--lead ORG" in text
    assert "--theme TEXT" in text


def test_partner_commands_take_an_organisation(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "--lead ORG" in _help(cli, "calendar", monkeypatch=monkeypatch)
    assert "--lead ORG" in _help(cli, "returns", "export", monkeypatch=monkeypatch)
    update = _help(cli, "update", monkeypatch=monkeypatch)
    assert "--note TEXT" in update
    assert "--by WHO" in update
