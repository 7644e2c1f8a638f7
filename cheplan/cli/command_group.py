"""The root group, building each command's parser only when it is looked up (click's LazyGroup).

Typer builds every command's options before it reads the arguments: for cheplan's seventeen
commands that is most of the time of `cheplan --help`, and more than a query on a cached plan
needs. This group keeps the commands as registered and builds one the first time Click looks
it up by name, through Typer's public API (`typer.main.get_command`), so a run builds only the
command it invokes. `--help` lists them from their help text alone.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, ClassVar, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup

from cheplan.cli.commands import guarded

BuiltCommand = TyperCommand | TyperGroup


class Registered(NamedTuple):
    """A command as registered: its function (or a group, a Typer of its own) and its help."""

    target: Callable[..., int] | typer.Typer
    help: str | None = None

    def help_text(self) -> str:
        if self.help is not None:
            return self.help
        if isinstance(self.target, typer.Typer):
            given = self.target.info.help
            return given if isinstance(given, str) else ""
        return inspect.getdoc(self.target) or ""

    def build(self, name: str) -> BuiltCommand:
        if isinstance(self.target, typer.Typer):
            built = typer.main.get_command(self.target)
        else:
            single = typer.Typer(rich_markup_mode=None, add_completion=False)
            single.command(name, help=self.help)(guarded(self.target))
            built = typer.main.get_command(single)
        if not isinstance(built, TyperCommand | TyperGroup):
            raise TypeError(f"Typer built {type(built).__name__} for {name}")
        return built


class _BuiltOnLookup(MutableMapping[str, BuiltCommand]):
    """The group's commands by name: every registered name is there, each built when first read."""

    def __init__(self, registered: dict[str, Registered], added: MutableMapping[str, BuiltCommand]) -> None:
        self._registered = registered
        self._built: dict[str, BuiltCommand] = dict(added)

    def __getitem__(self, name: str) -> BuiltCommand:
        if name not in self._built:
            self._built[name] = self._registered[name].build(name)  # KeyError: no such command
        return self._built[name]

    def __setitem__(self, name: str, command: BuiltCommand) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("commands are registered in cheplan.cli.app")

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._registered, *self._built]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*self._registered, *self._built]))


# Click's own types (Context, HelpFormatter) live in a private module of Typer: the two framework
# hooks below take them as Any rather than import it.
class CommandsOnLookup(TyperGroup):
    """A Typer group over `registered` (set by a subclass), each command built when looked up."""

    registered: ClassVar[dict[str, Registered]] = {}

    @property  # type: ignore[override]
    def commands(self) -> MutableMapping[str, BuiltCommand]:
        return self._on_lookup

    @commands.setter
    def commands(self, added: MutableMapping[str, BuiltCommand]) -> None:
        # Typer sets the commands it built itself (none: cheplan registers none with it).
        self._on_lookup = _BuiltOnLookup(self.registered, added)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # by name: listing builds nothing

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Each command's name and the start of its help, as Click lists them, without building it."""
        if not self.registered:
            return
        limit = formatter.width - 6 - max(len(name) for name in self.registered)
        rows = [
            (name, TyperCommand(name, help=entry.help_text()).get_short_help_str(limit))
            for name, entry in self.registered.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
