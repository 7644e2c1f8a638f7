"""`cheplan completion bash|zsh|fish`: the script that makes the shell complete cheplan's commands.

The script calls `cheplan` back with `_CHEPLAN_COMPLETE` set; `cheplan.cli.app.main` answers
those calls with Typer's completion machinery. Nothing of it runs on an ordinary command.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cheplan.cli.commands import EXIT_OK


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def completion(
    context: typer.Context,
    shell: Annotated[
        Shell, typer.Argument(metavar="bash|zsh|fish", help="The shell to complete in.", show_default=False)
    ],
) -> int:
    """Print a shell completion script: Tab completes commands, options and choices.

    bash: `cheplan completion bash > ~/.local/share/bash-completion/completions/cheplan`;
    zsh: `cheplan completion zsh > "${fpath[1]}/_cheplan"`;
    fish: `cheplan completion fish > ~/.config/fish/completions/cheplan.fish`.
    """
    from typer.completion import show_callback

    # What Typer's own --show-completion prints (its completion variable is _CHEPLAN_COMPLETE,
    # from the program's name); it prints the script and exits.
    [shell_parameter] = context.command.params[:1]
    show_callback(context, shell_parameter, shell.value)
    return EXIT_OK
