"""The options the commands share, each defined once as an Annotated type.

A new command reuses these, so `--plan`, `--lead`, `--format` or `--as-of` read the same
everywhere. The format choices themselves are listed once, in `cheplan.outputs.formats`.
"""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cheplan.domain.vocabulary import RAG_VALUES, STATUSES
from cheplan.outputs.formats import ListingFormat

if TYPE_CHECKING:
    from cheplan.loading.load import LoadedPlan

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
PlansOption = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--plan",
        "-p",
        metavar="FILE",
        help=(
            "Plan file; repeat it to look across plan years (e.g. the 2020/21 plan and the 2021/22 plan"
            " that carries it on). Default: $CHEPLAN_PLAN, else the shipped plan."
        ),
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


def load_chosen(plan: Optional[Path], register: Optional[list[Path]], no_default_registers: bool) -> "LoadedPlan":
    """The plan `--plan` names (else $CHEPLAN_PLAN, else the shipped plan), validated through the
    validation cache against the registers `--register` and `--no-default-registers` choose."""
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import resolve_plan, resolve_registers

    registers = resolve_registers(chosen_registers(register, no_default_registers))
    return load_plan(resolve_plan(plan), registers, cache=True)


# --format: the option is one; its choices are those of what the command writes, e.g.
# `Annotated[DiffFormat, FORMAT]` (every list of choices is in cheplan.outputs.formats).
FORMAT = typer.Option("--format", "-f", help="Output format.")
FormatOption = Annotated[ListingFormat, FORMAT]
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
RatingSinceOption = Annotated[
    Optional[str],
    typer.Option(
        "--since",
        metavar="DATE",
        help="The last meeting: JSON also gives each action's rating on that day (`rag_then`).",
        show_default=False,
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
        help="Rows shown in a table (default 200; 0 shows all, at most 5,000). Other formats are never cut.",
        min=0,
        show_default=False,
    ),
]
OutFileOption = Annotated[
    Optional[Path],
    typer.Option("--out", "-o", metavar="FILE", help="Write to FILE instead of stdout.", show_default=False),
]

# The returns round commands (`returns send` and `returns chase`) share these.
RoundOption = Annotated[
    str, typer.Option("--round", metavar="ID", help="The returns round, e.g. 2020-Q3 (recorded in the plan).")
]
ResendOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--resend", metavar="ORG", help="Send again to this organisation (its id; repeatable).", show_default=False
    ),
]
DryRunOption = Annotated[
    Optional[Path],
    typer.Option(
        "--dry-run",
        metavar="DIR",
        help="Write each message as an .eml file in DIR; send nothing, record nothing."
        " The default (DIR mail-ROUND) when no mail server is configured.",
        show_default=False,
    ),
]
MailConfigOption = Annotated[
    Optional[Path],
    typer.Option(
        "--mail-config",
        metavar="FILE",
        help="Mail settings (TOML); default ~/.config/cheplan/mail.toml. CHEPLAN_SMTP_* variables override it.",
        show_default=False,
    ),
]
InsecureOption = Annotated[
    bool, typer.Option("--insecure", help="Allow plain, unencrypted SMTP to a server on another machine.")
]
ExportRoundOption = Annotated[
    Optional[str],
    typer.Option(
        "--round",
        metavar="ID",
        help="The returns round the workbooks are for (recorded in the plan, carried by each workbook).",
        show_default=False,
    ),
]
DeadlineOption = Annotated[
    Optional[str],
    typer.Option("--deadline", metavar="DATE", help="The round's deadline, YYYY-MM-DD.", show_default=False),
]
MeetingOption = Annotated[
    Optional[str],
    typer.Option(
        "--meeting", metavar="DATE", help="The date of the meeting the returns feed, YYYY-MM-DD.", show_default=False
    ),
]
