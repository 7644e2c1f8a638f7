"""The commands: one module each, holding its Typer signature and its body.

A command is a typed function returning an exit code; `cheplan.cli.app` registers each one,
wrapped by `guarded`, which makes it a Typer callback. `run_guarded` is the one place where
exceptions become exit codes and messages:

* 0: fine
* 1: problems found (invalid plan, overdue with --fail-if-any, coverage under --fail-under)
* 2: usage error, unreadable input, or output that cannot be written
* 3: a bug in cheplan (an exception nobody expected): one line, the traceback with CHEPLAN_DEBUG=1

Everything heavy (YAML, pydantic, Rich, the questions) is imported inside a command's body, so
that `cheplan --help` and every other command start without it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec

import typer

from cheplan.domain.errors import InvalidPlanError, UnreadableInputError, UsageError, WriteRefusedError

if TYPE_CHECKING:
    from cheplan.domain.problems import Problem

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what shells report for `... | head`
DEBUG_VAR = "CHEPLAN_DEBUG"

Options = ParamSpec("Options")


def error(message: str) -> None:
    from cheplan.domain.safe_text import visible

    # Messages quote file names and plan text: shown, never obeyed by the terminal or a CI runner.
    print(f"cheplan: error: {visible(message)}", file=sys.stderr)


def print_problems(problems: list[Problem]) -> None:
    from cheplan.outputs.problem_formats import render_text

    sys.stderr.write(render_text(problems))


def guarded(command: Callable[Options, int]) -> Callable[Options, None]:
    """`command` as a Typer callback: run under `run_guarded`, exiting with the code it returns.

    The signature (Typer's options) is the command's own: `functools.wraps` keeps it."""

    @functools.wraps(command)
    def callback(*args: Options.args, **kwargs: Options.kwargs) -> None:
        raise typer.Exit(run_guarded(lambda: command(*args, **kwargs)))

    return callback


def run_guarded(body: Callable[[], int]) -> int:
    """Run a command's body; every exception becomes its exit code and one message on stderr."""
    try:
        return body()
    except UnreadableInputError as exc:
        error(str(exc))
        return EXIT_USAGE
    except UsageError as exc:
        error(str(exc))
        return EXIT_USAGE
    except InvalidPlanError as exc:
        print_problems(exc.problems)
        error(f"the plan is not valid ({exc}); run `cheplan validate` for details")
        return EXIT_PROBLEMS
    except WriteRefusedError as exc:
        print_problems(exc.problems)
        error(str(exc))
        return EXIT_PROBLEMS
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, without a traceback at exit, and
        # exit as a program killed by SIGPIPE would, so a pipeline never mistakes a cut-off
        # run (whose gate may have tripped) for a pass.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except OSError as exc:
        # The system refused a write (a full disk: `overdue > /dev/full`) or a read the command
        # did not expect: say which, in one line. Not a bug: nothing is wrong with cheplan, and
        # a retry after freeing space is the fix.
        with contextlib.suppress(OSError, ValueError):  # what is still buffered goes nowhere at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        where = f": {exc.filename}" if exc.filename else ""
        error(f"cannot complete the command: {exc.strerror or exc}{where}")
        return EXIT_USAGE
    except Exception as exc:  # the promise is: never a traceback, unless asked for
        if os.environ.get(DEBUG_VAR):
            raise
        error(
            f"internal error, a bug in cheplan: {type(exc).__name__}: {exc}"
            f" (run again with {DEBUG_VAR}=1 for the traceback, and please report it)"
        )
        return EXIT_BUG
