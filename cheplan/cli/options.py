"""What the commands share: output-format choices and the Annotated types of common options.

A new command reuses these, so `--plan`, `--format` or `--as-of` read the same everywhere.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cheplan.domain.vocabulary import RAG_VALUES, STATUSES


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    # CSV for a spreadsheet: UTF-8 with a byte-order mark, CRLF (see cheplan/outputs/csv_format.py).
    csv_excel = "csv-excel"
    markdown = "markdown"


class ProblemFormat(StrEnum):
    text = "text"
    github = "github"
    json = "json"


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


# The choices are the domain's one list of each (a dependency-free module: cheap at start-up).
StatusChoice = StrEnum("StatusChoice", [(status, status) for status in STATUSES])  # type: ignore[misc]
RagChoice = StrEnum("RagChoice", [(value, value) for value in RAG_VALUES])  # type: ignore[misc]


PlanOption = Annotated[
    Optional[Path],
    typer.Option(
        "--plan",
        "-p",
        metavar="FILE",
        help="Plan file. Default: $CHEPLAN_PLAN, else the shipped plan.",
        show_default=False,
    ),
]
RegisterOption = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--register",
        "-r",
        metavar="FILE",
        help=(
            "Another recommendation register file, added to the default ($CHEPLAN_REGISTER, else the shipped"
            " ELR register); repeat for several."
        ),
        show_default=False,
    ),
]
NoDefaultRegistersOption = Annotated[
    bool,
    typer.Option(
        "--no-default-registers",
        help="Leave out the default register: only the --register files are read.",
        show_default=False,
    ),
]


def chosen_registers(given: Optional[list[Path]], no_defaults: bool) -> Optional[list[Path]]:
    """The registers a command reads: the default ones plus `--register`, unless left out."""
    from cheplan.loading.locate import registers_option

    return registers_option(given, defaults=not no_defaults)


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
LeadOption = Annotated[
    Optional[str],
    typer.Option(
        "--lead",
        "-l",
        metavar="ORG",
        help="Only this organisation's actions (id, name or alias, any case; else part of one), with those of All.",
        show_default=False,
    ),
]
ThemeOption = Annotated[
    Optional[str],
    typer.Option(
        "--theme", "-t", metavar="TEXT", help="Only actions whose theme id or title contains TEXT.", show_default=False
    ),
]
AsOfOption = Annotated[
    Optional[str],
    typer.Option(
        "--as-of", help="Answer as of this date, YYYY-MM-DD. Default: today.", show_default=False, metavar="DATE"
    ),
]
StaleDaysOption = Annotated[
    int,
    typer.Option(
        "--stale-days",
        metavar="N",
        min=0,
        max=36_500,
        help="RAG: amber when the latest update is more than N days old.",
    ),
]
LimitOption = Annotated[
    Optional[int],
    typer.Option(
        "--limit",
        metavar="N",
        help="Rows shown in a table (default 200; 0 shows all). Other formats are never cut.",
        min=0,
        show_default=False,
    ),
]
