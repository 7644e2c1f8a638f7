"""The command line: `main`, the console entry point, over the Typer app of `cheplan.cli.root`.

The signatures live in modules by audience (`for_officers`, `for_the_board`,
`for_maintainers`); each is thin, over `cheplan.cli.commands.*.run`. Everything heavy (YAML,
pydantic, Rich) is imported inside the command that needs it, so `cheplan --help` and the
officer's everyday commands start fast. Exit codes: 0 fine, 1 problems found, 2 usage error
or unreadable input.
"""

from __future__ import annotations

import copy
import gc
import os
import sys
from typing import Any

import typer
from typer.models import CommandInfo, TyperInfo

from cheplan.cli.root import app, finish

# Importing a signature module registers its commands; `--help` lists them in this order.
# isort: off
from cheplan.cli import for_officers, for_partners, for_the_board, for_outcomes, for_maintainers, for_the_shell  # noqa: F401

# isort: on

__all__ = ["app", "finish", "main"]

COMPLETE_VAR = "_CHEPLAN_COMPLETE"  # the variable the completion scripts set
_HELP = ("-h", "--help")


def _command_name(info: CommandInfo) -> str | None:
    if info.name:
        return info.name
    return typer.main.get_command_name(info.callback.__name__) if info.callback else None


def _group_name(info: TyperInfo) -> str | None:
    # add_typer(name=...) wins; else the sub-app's own Typer(name=...); unset values are placeholders.
    for name in (info.name, info.typer_instance.info.name if info.typer_instance else None):
        if isinstance(name, str):
            return name
    return None


def _narrowed(instance: typer.Typer, args: list[str]) -> typer.Typer:
    """`instance` with only the command or group that `args` invoke, recursively into groups.

    When `args` invoke none (help, nothing, an unknown name), every command is listed by its
    name and summary only: that is all help or a "did you mean" shows, and building each
    command's options is most of the cost of `--help`.
    """
    if args and args[0].startswith("-") and args[0] not in _HELP:
        return instance  # options before the command: parse them with everything there
    name = args[0] if args else None
    for command in instance.registered_commands:
        if name is not None and _command_name(command) == name:
            single = copy.copy(instance)
            single.registered_commands, single.registered_groups = [command], []
            return single
    for group in instance.registered_groups:
        if name is not None and group.typer_instance is not None and _group_name(group) == name:
            inner = copy.copy(group)
            inner.typer_instance = _narrowed(group.typer_instance, args[1:])
            single = copy.copy(instance)
            single.registered_commands, single.registered_groups = [], [inner]
            return single
    return _listed(instance)


def _listed(instance: typer.Typer) -> typer.Typer:
    """`instance` with each command reduced to its name and help text, and each group likewise."""
    listed = copy.copy(instance)
    listed.registered_commands = [_summary(command) for command in instance.registered_commands]
    listed.registered_groups = []
    for group in instance.registered_groups:
        summary = copy.copy(group)
        if group.typer_instance is not None:
            summary.typer_instance = _listed(group.typer_instance)
        listed.registered_groups.append(summary)
    return listed


def _summary(info: CommandInfo) -> CommandInfo:
    original = info.callback
    if original is None:
        return info

    def listed_only() -> None:  # never run: no argument named this command
        raise AssertionError(f"{original.__name__} was listed, not meant to run")

    listed_only.__name__, listed_only.__doc__ = original.__name__, original.__doc__
    summary = copy.copy(info)
    summary.callback = listed_only
    return summary


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command being run, when the first argument names one.

    Typer builds the parser of every command before it looks at the arguments; building
    the others costs more than running a query on a cached plan. `cheplan --help`, an
    unknown command (with its "did you mean") get every command by name and summary only;
    options before the command get the whole app; `cheplan GROUP COMMAND` only that command.
    Shell completion (which reads its words from the environment) gets the whole app.
    """
    if os.environ.get(COMPLETE_VAR):
        return app
    return _narrowed(app, args)


def _tolerate_narrow_encodings() -> None:
    """On a terminal or file that is not UTF-8 (a Latin-1 locale, a Windows console), write
    characters it cannot hold as escapes instead of failing half-way through the output."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _prepare_completion() -> None:
    """When the shell asks for completions (`_CHEPLAN_COMPLETE` set by the script that
    `cheplan completion` prints), register Typer's completion classes. Only then: an ordinary
    run never pays for them. Click's own order of the instruction (`bash_complete`) is
    accepted too; Typer reads it the other way round (`complete_bash`)."""
    instruction = os.environ.get(COMPLETE_VAR)
    if not instruction:
        return
    from typer._completion_classes import completion_init

    completion_init()
    shell, _, action = instruction.partition("_")
    if action in ("complete", "source") and shell in ("bash", "zsh", "fish"):
        os.environ[COMPLETE_VAR] = f"{action}_{shell}"


def main(argv: list[str] | None = None) -> int:
    """Console entry point; returns the exit code instead of raising SystemExit."""
    args = sys.argv[1:] if argv is None else argv
    if sys.stdout is None:  # started with standard output closed (`cheplan ... >&-`): nowhere to answer
        if sys.stderr is not None:
            print("cheplan: error: cannot write the output: standard output is closed", file=sys.stderr)
        return 2
    if argv is None:
        _tolerate_narrow_encodings()
        _prepare_completion()
    # A run builds objects (modules, a plan, a table) and no garbage cycles worth finding;
    # the cyclic collector's passes over them cost several milliseconds of every command.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _app_for(args)(args=args, prog_name="cheplan")
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    except OSError as exc:  # e.g. `cheplan --help > /dev/full`: the help or version could not be written
        return _output_failed(exc, program=argv is None)
    finally:
        if collecting:
            gc.enable()
        if argv is None:
            # Run as the `cheplan` program, which exits next. At exit the interpreter collects
            # over every object of the run (a sixth of an everyday command's time); frozen
            # objects are skipped, and reference counting still frees them.
            gc.freeze()
    if argv is None:
        try:  # a full disk shows here, as one line and a failing exit code, not as noise at exit
            sys.stdout.flush()
        except OSError as exc:
            return _output_failed(exc, program=True)
    return code if isinstance(code, int) else (0 if code is None else 2)


def _output_failed(exc: OSError, *, program: bool) -> int:
    """The output could not be written: one line on stderr, never a traceback, and a failing
    exit code (2), since the reader got nothing or part; a closed pipe exits as SIGPIPE would."""
    import contextlib
    import os

    if program:
        # What is still buffered goes nowhere at exit, instead of failing again there.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if isinstance(exc, BrokenPipeError):
        return 141
    with contextlib.suppress(OSError):
        print(f"cheplan: error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
