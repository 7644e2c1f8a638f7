"""`cheplan completion bash|zsh|fish`: the script that makes the shell complete cheplan's commands.

The script calls `cheplan` back with `_CHEPLAN_COMPLETE` set; `cheplan.cli.app.main` answers
those calls with Typer's completion machinery. Nothing of it runs on an ordinary command.
"""

from __future__ import annotations

import sys

from cheplan.cli.commands import EXIT_OK
from cheplan.domain.errors import UsageError

SHELLS = ("bash", "zsh", "fish")
PROG_NAME = "cheplan"
COMPLETE_VAR = "_CHEPLAN_COMPLETE"


def script(shell: str) -> str:
    from typer._completion_shared import get_completion_script  # what --show-completion prints

    if shell not in SHELLS:
        raise UsageError(f"no completion for {shell!r}: choose one of {', '.join(SHELLS)}")
    return get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR, shell=shell) + "\n"


def run(*, shell: str) -> int:
    sys.stdout.write(script(shell))
    sys.stdout.flush()
    return EXIT_OK
