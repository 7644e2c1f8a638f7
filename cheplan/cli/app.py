"""The command line: `main`, the console entry point, and `app`, where every command is registered.

Each command is one module in `cheplan.cli.commands`, holding its Typer signature and its body;
the list below registers them, in the order `--help` shows them. The options they share are
defined once, in `cheplan.cli.options`. Everything heavy (YAML, pydantic, Rich) is imported
inside the command that needs it, so `cheplan --help` and the everyday commands start fast.
Exit codes: 0 fine, 1 problems found, 2 usage error or unreadable input, 3 a bug (see
`cheplan.cli.commands.run_guarded`).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Annotated, Any, ClassVar

import typer

from cheplan import __version__
from cheplan.cli.command_group import CommandsOnLookup, Registered
from cheplan.cli.commands import (
    actions,
    calendar,
    completion,
    corrections,
    decide,
    diff,
    due,
    guarded,
    indicators,
    init_plan,
    measure,
    meetings,
    organisations,
    overdue,
    report,
    returns_chase,
    returns_export,
    returns_import,
    returns_send,
    rollover,
    schema,
    stale,
    trace,
    update,
    validate,
)

__all__ = ["app", "main"]

COMPLETE_VAR = "_CHEPLAN_COMPLETE"  # the variable the completion scripts set
_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

returns_app = typer.Typer(
    name="returns",
    help="Quarterly returns: workbooks partners fill in, mailed and chased by email, and what they send back.",
    rich_markup_mode=None,
    add_completion=False,
    no_args_is_help=True,
    context_settings=_SETTINGS,
)
returns_app.command("export")(guarded(returns_export.returns_export))
returns_app.command("import")(guarded(returns_import.returns_import))
returns_app.command("send")(guarded(returns_send.returns_send))
returns_app.command("chase")(guarded(returns_chase.returns_chase))


class CheplanCommands(CommandsOnLookup):
    """Every command, in the order --help lists them: the officer's everyday commands, what
    partners receive, what the board reads, the maintainers' checks, then set-up."""

    registered: ClassVar[dict[str, Registered]] = {
        "actions": Registered(actions.actions),
        "show": Registered(actions.actions, help=actions.SHOW_HELP),
        "overdue": Registered(overdue.overdue),
        "due": Registered(due.due),
        "update": Registered(update.update),
        "calendar": Registered(calendar.calendar),
        "trace": Registered(trace.trace),
        "corrections": Registered(corrections.corrections),
        "organisations": Registered(organisations.organisations),
        "stale": Registered(stale.stale),
        "indicators": Registered(indicators.indicators),
        "measure": Registered(measure.measure),
        "meetings": Registered(meetings.meetings),
        "report": Registered(report.report),
        "decide": Registered(decide.decide),
        "validate": Registered(validate.validate),
        "schema": Registered(schema.schema),
        "diff": Registered(diff.diff),
        "init": Registered(init_plan.init_plan),
        "rollover": Registered(rollover.rollover),
        "completion": Registered(completion.completion),
        "returns": Registered(returns_app),
    }


app = typer.Typer(
    name="cheplan",
    cls=CheplanCommands,
    help=(
        "Keep a partnership's multi-agency action plan honest: which actions are overdue, "
        "which review recommendations they implement, and whether an edit to the plan is valid.\n\n"
        "Without --plan, the plan is $CHEPLAN_PLAN, else the shipped Southwark 2020/21 plan."
    ),
    rich_markup_mode=None,  # plain help: keeps Rich off the start-up path
    add_completion=False,  # `cheplan completion SHELL` instead: no completion options on every run
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings=_SETTINGS,
)


def _version(value: bool) -> None:
    if value:
        print(f"cheplan {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Keep a partnership's multi-agency action plan honest."""


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
    from typer.completion import get_completion_inspect_parameters

    # Typer's public way in to its completion support: this registers its bash, zsh and fish
    # completion classes (the ones its scripts talk to), as an app built with completion would.
    get_completion_inspect_parameters()
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
        app(args=args, prog_name="cheplan")
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
