"""Signatures of the set-up commands: shell completion."""

from enum import StrEnum
from typing import Annotated

import typer

from cheplan.cli.root import app, finish


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


@app.command()
def completion(
    shell: Annotated[
        Shell, typer.Argument(metavar="bash|zsh|fish", help="The shell to complete in.", show_default=False)
    ],
) -> None:
    """Print a shell completion script: Tab completes commands, options and choices.

    bash: `cheplan completion bash > ~/.local/share/bash-completion/completions/cheplan`;
    zsh: `cheplan completion zsh > "${fpath[1]}/_cheplan"`;
    fish: `cheplan completion fish > ~/.config/fish/completions/cheplan.fish`.
    """
    finish("completion", shell=shell.value)
