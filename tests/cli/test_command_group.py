"""The root group builds a command's parser only when Click looks the command up.

Typer would build every command's options before reading the arguments, which costs more
than an everyday query on a cached plan; these tests pin, by counting builds, that a run
builds only what it invokes, and that help, "did you mean" and every command still work.
"""

from __future__ import annotations

import pytest
from typer.core import TyperGroup

from cheplan.cli.app import CheplanCommands, app
from cheplan.cli.command_group import Registered
from tests.conftest import RunCli


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the commands built during the test, in order."""
    names: list[str] = []
    build = Registered.build

    def counted(self: Registered, name: str) -> object:
        names.append(name)
        return build(self, name)

    monkeypatch.setattr(Registered, "build", counted)
    return names


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["overdue", "--as-of", "2021-04-01", "-f", "json"], ["overdue"]),
        (["overdue", "--help"], ["overdue"]),
        (["show", "3", "-f", "json"], ["show"]),
        (["returns", "import", "--help"], ["returns"]),
        (["--help"], []),
        (["--version"], []),
        (["ovrdue"], []),
    ],
)
def test_a_run_builds_only_the_command_it_invokes(
    cli: RunCli, built: list[str], args: list[str], expected: list[str]
) -> None:
    cli(*args)
    assert built == expected


def test_help_lists_every_command_in_order_with_its_summary(cli: RunCli) -> None:
    listed = cli("--help").stdout.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == list(CheplanCommands.registered)
    assert "  overdue        Actions past their end month and not finished, most..." in listed


def test_an_unknown_command_gets_a_did_you_mean(cli: RunCli) -> None:
    result = cli("ovrdue")
    assert result.code == 2
    assert "No such command 'ovrdue'. Did you mean 'overdue', 'due'?" in result.stderr


@pytest.mark.parametrize("name", list(CheplanCommands.registered))
def test_every_registered_command_builds_with_its_help(name: str) -> None:
    command = CheplanCommands.registered[name].build(name)
    assert command.name == name
    assert (command.help or "").startswith(CheplanCommands.registered[name].help_text()[:40])


def test_the_app_uses_the_group() -> None:
    assert issubclass(CheplanCommands, TyperGroup)
    assert app.info.cls is CheplanCommands


@pytest.mark.parametrize("name", list(CheplanCommands.registered))
def test_no_command_offers_typer_s_own_completion_options(cli: RunCli, name: str) -> None:
    # `cheplan completion SHELL` is the one way in; a command built on its own must not grow them.
    result = cli(name, "--help")
    assert result.code == 0
    assert "--install-completion" not in result.stdout
    assert "--show-completion" not in result.stdout
