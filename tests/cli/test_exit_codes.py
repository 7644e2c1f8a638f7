"""One place maps what went wrong to an exit code: 0 fine, 1 problems, 2 usage, 3 a bug in cheplan."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import NoReturn

import pytest

from cheplan.cli.commands import EXIT_BUG, run_guarded
from tests.conftest import REPO, RunCli

BUG_LINE = (
    "cheplan: error: internal error, a bug in cheplan: RuntimeError: an unexpected state"
    " (run again with CHEPLAN_DEBUG=1 for the traceback, and please report it)\n"
)


def _broken(*args: object, **kwargs: object) -> NoReturn:
    raise RuntimeError("an unexpected state")


def test_an_unexpected_exception_exits_3_in_one_line_that_says_how_to_see_more(
    cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cheplan.loading.load.load_plan", _broken)
    result = cli("overdue", "--as-of", "2020-10-01")
    assert result.code == EXIT_BUG == 3
    assert result.stdout == ""
    assert result.stderr == BUG_LINE


def test_with_cheplan_debug_the_traceback_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHEPLAN_DEBUG", "1")
    with pytest.raises(RuntimeError, match="an unexpected state"):
        run_guarded(_broken)


def test_a_real_program_with_a_bug_exits_3_and_debug_shows_the_traceback() -> None:
    # As a program: the exit code and the stderr a shell sees, with a bug planted in the loader.
    code = (
        "import sys; import cheplan.loading.load as load\n"
        "def broken(*a, **k): raise RuntimeError('an unexpected state')\n"
        "load.load_plan = broken\n"
        "from cheplan.cli.app import main\n"
        "sys.exit(main(['overdue', '--as-of', '2020-10-01']))\n"
    )
    env = {**os.environ, "CHEPLAN_NO_CACHE": "1", "PYTHONPATH": str(REPO)}
    env.pop("CHEPLAN_DEBUG", None)
    quiet = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert (quiet.returncode, quiet.stderr) == (3, BUG_LINE)
    loud = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**env, "CHEPLAN_DEBUG": "1"}, check=False
    )
    assert loud.returncode == 1  # the interpreter's own exit for an uncaught exception
    assert "Traceback (most recent call last)" in loud.stderr
    assert "RuntimeError: an unexpected state" in loud.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["overdue", "--as-of", "2021-04-01"], 0),
        (["overdue", "--as-of", "2021-04-01", "--fail-if-any"], 1),
        (["overdue", "--as-of", "2021-13-01"], 2),
        (["overdue", "--no-such-option"], 2),
    ],
)
def test_the_other_codes(cli: RunCli, args: list[str], code: int) -> None:
    assert cli(*args).code == code
