"""The Typer app every command registers on, its root options, and `finish`, the one way a
signature hands its arguments to `cheplan.cli.commands.<module>.run`.

Adding a command: write its signature in the `for_*` module of its audience (or a new module
imported by `cheplan.cli.app`), decorated with `@app.command()`, ending in
`finish("<module>", ...)`. A group of subcommands is a `typer.Typer()` added with
`app.add_typer(group, name=...)`; `cheplan.cli.app` builds only the invoked command's parser
either way.
"""

from __future__ import annotations

from typing import Annotated, Any, NoReturn

import typer

from cheplan import __version__

app = typer.Typer(
    name="cheplan",
    help=(
        "Keep a partnership's multi-agency action plan honest: which actions are overdue, "
        "which review recommendations they implement, and whether an edit to the plan is valid.\n\n"
        "Without --plan, the plan is $CHEPLAN_PLAN, else the shipped Southwark 2020/21 plan."
    ),
    rich_markup_mode=None,  # plain help: keeps Rich off the start-up path
    add_completion=False,  # `cheplan completion SHELL` instead: no completion options on every run
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def finish(module: str, **kwargs: Any) -> NoReturn:
    """Run `cheplan.cli.commands.<module>.run(**kwargs)` and exit with its code."""
    import importlib

    from cheplan.cli.commands import run_guarded

    def run_command(**options: Any) -> int:
        # Imported inside the guard: a failure to import is reported like any other error.
        command = importlib.import_module(f"cheplan.cli.commands.{module}")
        code: int = command.run(**options)
        return code

    raise typer.Exit(run_guarded(run_command, **kwargs))


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
