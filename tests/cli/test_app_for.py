"""`_app_for` builds only the parser of the command being run, including inside groups.

Typer builds every command's parser before it reads the arguments, which costs more than an
everyday query on a cached plan; these tests pin that the narrowed app still runs the right
command, and that help and unknown names still see everything.
"""

from __future__ import annotations

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from cheplan.cli.app import _app_for, _narrowed, app


def _names(instance: typer.Typer) -> list[str]:
    command = typer.main.get_command(instance)
    assert isinstance(command, TyperGroup)
    return list(command.commands)


def _toy() -> typer.Typer:
    """An app shaped like cheplan's: a root callback, a command and a `returns` group."""
    toy = typer.Typer()

    @toy.callback()
    def root() -> None:
        """Root."""

    @toy.command()
    def overdue() -> None:
        print("overdue ran")

    returns = typer.Typer(help="Quarterly returns.")

    @returns.command()
    def export(organisation: str = "all") -> None:
        print(f"export ran for {organisation}")

    @returns.command(name="import")
    def import_() -> None:
        print("import ran")

    toy.add_typer(returns, name="returns")
    return toy


def test_every_cheplan_command_is_built_alone() -> None:
    every = _names(app)
    assert {"overdue", "validate", "update"} <= set(every)
    for name in every:
        assert _names(_app_for([name, "--help"])) == [name]


@pytest.mark.parametrize(
    "args", [[], ["--help"], ["-h", "overdue"], ["overdeu"], ["--version"], ["completion", "tcsh"]]
)
def test_help_and_mistakes_read_the_same_from_the_listed_app(args: list[str]) -> None:
    runner = CliRunner()
    full = runner.invoke(app, args, prog_name="cheplan")
    narrowed = runner.invoke(_app_for(args), args, prog_name="cheplan")
    assert (narrowed.exit_code, narrowed.output) == (full.exit_code, full.output)


@pytest.mark.parametrize("args", [[], ["--help"], ["overdeu"]])
def test_help_and_unknown_names_build_no_command_s_options(args: list[str]) -> None:
    listed = typer.main.get_command(_app_for(args))
    assert isinstance(listed, TyperGroup)
    assert list(listed.commands) == _names(app)
    assert all(command.params == [] for command in listed.commands.values())


def test_options_before_the_command_get_the_whole_app() -> None:
    assert _app_for(["--version", "overdue"]) is app


def test_shell_completion_gets_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_CHEPLAN_COMPLETE", "complete_bash")
    assert _app_for([]) is app


def test_a_group_command_is_built_alone_and_runs() -> None:
    toy = _toy()
    narrowed = _narrowed(toy, ["returns", "export", "--organisation", "Police"])
    group = typer.main.get_command(narrowed)
    assert isinstance(group, TyperGroup)
    assert list(group.commands) == ["returns"]
    inner = group.commands["returns"]
    assert isinstance(inner, TyperGroup)
    assert list(inner.commands) == ["export"]
    result = CliRunner().invoke(narrowed, ["returns", "export", "--organisation", "Police"])
    assert result.exit_code == 0, result.output
    assert result.output == "export ran for Police\n"


def test_a_group_s_help_lists_all_its_commands_and_the_original_is_untouched() -> None:
    toy = _toy()
    inner = typer.main.get_command(_narrowed(toy, ["returns", "--help"]))
    assert isinstance(inner, TyperGroup)
    assert list(inner.commands) == ["returns"]
    assert list(inner.commands["returns"].commands) == ["export", "import"]  # type: ignore[attr-defined]
    _narrowed(toy, ["returns", "import"])
    assert _names(toy) == ["overdue", "returns"]
    assert CliRunner().invoke(_narrowed(toy, ["returns", "import"]), ["returns", "import"]).output == "import ran\n"


def test_a_group_named_only_by_its_own_typer_is_found() -> None:
    toy = typer.Typer()

    @toy.callback()
    def root() -> None:
        """Root."""

    calendar = typer.Typer(name="calendar")

    @calendar.command()
    def ics() -> None:
        print("ics")

    @calendar.command()
    def other() -> None:
        print("other")

    toy.add_typer(calendar)
    narrowed = typer.main.get_command(_narrowed(toy, ["calendar", "ics"]))
    assert isinstance(narrowed, TyperGroup)
    assert list(narrowed.commands["calendar"].commands) == ["ics"]  # type: ignore[attr-defined]
