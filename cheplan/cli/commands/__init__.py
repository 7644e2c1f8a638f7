"""Command implementations. Each `run(...)` returns an exit code; `run_guarded` is the one
place where exceptions become exit codes and messages:

* 0: fine
* 1: problems found (invalid plan, overdue with --fail-if-any, coverage under --fail-under)
* 2: usage error or unreadable input
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any

from cheplan.domain.errors import InvalidPlanError, UnreadableInputError, UsageError, WriteRefusedError
from cheplan.domain.problems import Problem
from cheplan.domain.safe_text import visible

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what shells report for `... | head`


def error(message: str) -> None:
    # Messages quote file names and plan text: shown, never obeyed by the terminal or a CI runner.
    print(f"cheplan: error: {visible(message)}", file=sys.stderr)


def print_problems(problems: list[Problem]) -> None:
    from cheplan.outputs.problem_formats import render_text

    sys.stderr.write(render_text(problems))


def run_guarded(target: Callable[..., int], **kwargs: Any) -> int:
    try:
        return target(**kwargs)
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
        return 130
    except OSError as exc:
        # The system refused a write (a full disk: `overdue > /dev/full`) or a read the command
        # did not expect: say which, in one line. Not "internal error": nothing is wrong with
        # cheplan, and a retry after freeing space is the fix.
        with contextlib.suppress(OSError, ValueError):  # what is still buffered goes nowhere at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        where = f": {exc.filename}" if exc.filename else ""
        error(f"cannot complete the command: {exc.strerror or exc}{where}")
        return EXIT_USAGE
    except Exception as exc:  # the promise is: never a traceback
        if os.environ.get("CHEPLAN_DEBUG"):
            raise
        error(f"internal error: {type(exc).__name__}: {exc} (set CHEPLAN_DEBUG=1 for details, and please report it)")
        return EXIT_USAGE
