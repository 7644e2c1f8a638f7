"""The command line: thin Typer signatures over `cheplan.cli.commands.*.run`.

Everything heavy (YAML, pydantic, Rich) is imported inside the command that needs it, so
`cheplan --help` and the officer's everyday commands start fast. Exit codes: 0 fine,
1 problems found, 2 usage error or unreadable input.
"""

from __future__ import annotations

import copy
import gc
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

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
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class ProblemFormat(StrEnum):
    text = "text"
    github = "github"
    json = "json"


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class StatusChoice(StrEnum):
    not_reported = "not_reported"
    planned = "planned"
    in_progress = "in_progress"
    complete = "complete"
    dropped = "dropped"


PlanOption = Annotated[
    Optional[Path],
    typer.Option("--plan", "-p", help="Plan file. Default: $CHEPLAN_PLAN, else the shipped plan.", show_default=False),
]
RegisterOption = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--register",
        "-r",
        help=(
            "Recommendation register file; repeat for several."
            " Default: $CHEPLAN_REGISTER, else the shipped ELR register."
        ),
        show_default=False,
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
LeadOption = Annotated[
    Optional[str],
    typer.Option(
        "--lead", "-l", help="Only actions with a lead organisation containing TEXT (any case).", show_default=False
    ),
]
ThemeOption = Annotated[
    Optional[str],
    typer.Option("--theme", "-t", help="Only actions whose theme id or title contains TEXT.", show_default=False),
]
AsOfOption = Annotated[
    Optional[str],
    typer.Option(
        "--as-of", help="Answer as of this date, YYYY-MM-DD. Default: today.", show_default=False, metavar="DATE"
    ),
]
LimitOption = Annotated[
    Optional[int],
    typer.Option(
        "--limit",
        help="Rows shown in a table (default 200; 0 shows all). Other formats are never cut.",
        min=0,
        show_default=False,
    ),
]


def _finish(module: str, **kwargs: Any) -> NoReturn:
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


@app.command()
def validate(
    plan_files: Annotated[
        Optional[list[Path]],
        typer.Argument(metavar="[PLAN]...", help="Plan file(s) (default as --plan).", show_default=False),
    ] = None,
    register: RegisterOption = None,
    format_name: Annotated[
        Optional[ProblemFormat],
        typer.Option(
            "--format",
            "-f",
            help="text (default), github (annotations; default when GITHUB_ACTIONS=true) or json.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    against: Annotated[
        Optional[str],
        typer.Option(
            "--against",
            metavar="REV",
            help=(
                "Also apply the edit rules against the plan at this git revision: a deleted action is an error;"
                " an unlinked recommendation or a later end month is a warning."
            ),
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
) -> None:
    """Check plans and their registers; report every problem at FILE:LINE:COL.

    Several plan files may be given (as pre-commit does); each is checked and summarised.
    Exit 0 when valid, 1 when problems are found, 2 on a usage error or unreadable file.
    """
    _finish(
        "validate",
        plans=[*(plan_files or []), *([plan] if plan else [])],
        registers=register,
        format_name=format_name.value if format_name else None,
        strict=strict,
        against=against,
    )


@app.command()
def actions(
    action_id: Annotated[
        Optional[int], typer.Argument(metavar="[ID]", help="Show this action in full.", show_default=False)
    ] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    status: Annotated[
        Optional[list[StatusChoice]],
        typer.Option("--status", "-s", help="Only actions with this status; repeatable.", show_default=False),
    ] = None,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
    as_of: AsOfOption = None,
) -> None:
    """List the plan's actions, or show one action in full with the recommendations it implements.

    JSON gives each action's RAG rating as of --as-of (default today)."""
    _finish(
        "actions",
        action_id=action_id,
        plan=plan,
        registers=register,
        lead=lead,
        theme=theme,
        statuses=[s.value for s in status] if status else None,
        format_name=format_name.value,
        limit=limit,
        as_of=as_of,
    )


@app.command()
def show(
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The action number.")],
    plan: PlanOption = None,
    register: RegisterOption = None,
    format_name: FormatOption = OutputFormat.table,
) -> None:
    """Show one action in full, with the text of each recommendation it implements."""
    _finish(
        "actions",
        action_id=action_id,
        plan=plan,
        registers=register,
        lead=None,
        theme=None,
        statuses=None,
        format_name=format_name.value,
        limit=None,
    )


@app.command()
def overdue(
    plan: PlanOption = None,
    register: RegisterOption = None,
    as_of: AsOfOption = None,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    by_lead: Annotated[bool, typer.Option("--by-lead", help="Group per lead organisation, with counts.")] = False,
    format_name: FormatOption = OutputFormat.table,
    fail_if_any: Annotated[bool, typer.Option("--fail-if-any", help="Exit 1 when anything is overdue.")] = False,
    limit: LimitOption = None,
) -> None:
    """Actions past their end month and not finished, most overdue first.

    An action is due on the last day of its end month. Exit 0; with --fail-if-any, exit 1 when
    anything is overdue. JSON lists one object per action (`lead` all leads, `matched_leads`).
    """
    _finish(
        "overdue",
        plan=plan,
        registers=register,
        as_of=as_of,
        lead=lead,
        theme=theme,
        by_lead=by_lead,
        format_name=format_name.value,
        fail_if_any=fail_if_any,
        limit=limit,
    )


@app.command()
def due(
    within: Annotated[
        Optional[int],
        typer.Option(
            "--within",
            metavar="DAYS",
            min=0,
            max=36_500,
            help="Due within this many days (default 30).",
            show_default=False,
        ),
    ] = None,
    before: Annotated[
        Optional[str],
        typer.Option("--before", metavar="DATE", help="Due on or before this date, YYYY-MM-DD.", show_default=False),
    ] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    as_of: AsOfOption = None,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """Unfinished actions coming due in a window, soonest first, with days left.

    The window runs from the as-of date to --before DATE, or --within DAYS of it (default 30 days).
    """
    _finish(
        "due",
        within=within,
        before=before,
        plan=plan,
        registers=register,
        as_of=as_of,
        lead=lead,
        theme=theme,
        format_name=format_name.value,
        limit=limit,
    )


@app.command()
def update(
    action_id: Annotated[int, typer.Argument(metavar="ID", help="The action number.")],
    status: Annotated[StatusChoice, typer.Option("--status", "-s", help="The action's status as of the date.")],
    note: Annotated[
        Optional[str],
        typer.Option("--note", "-n", help="What was done (a reason is required for dropped).", show_default=False),
    ] = None,
    on_date: Annotated[
        Optional[str],
        typer.Option(
            "--date", metavar="DATE", help="Date of the report, YYYY-MM-DD. Default: today.", show_default=False
        ),
    ] = None,
    by: Annotated[
        Optional[str], typer.Option("--by", help="Who reports it (organisation or officer).", show_default=False)
    ] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
) -> None:
    """Record progress on an action: append a dated entry to the plan file, in place.

    Comments, order and formatting are kept; the file is replaced atomically, and only if
    the result validates.
    """
    _finish(
        "update",
        action_id=action_id,
        status=status.value,
        note=note,
        on_date=on_date,
        by=by,
        plan=plan,
        registers=register,
    )


@app.command()
def trace(
    recommendation_id: Annotated[
        Optional[str],
        typer.Argument(
            metavar="[RECOMMENDATION]", help="Show one recommendation in full, e.g. SELR-5.", show_default=False
        ),
    ] = None,
    plan: PlanOption = None,
    register: RegisterOption = None,
    source: Annotated[
        Optional[str],
        typer.Option("--source", help="Only this register's recommendations, e.g. SELR.", show_default=False),
    ] = None,
    as_of: AsOfOption = None,
    uncovered: Annotated[bool, typer.Option("--uncovered", help="Only recommendations no action implements.")] = False,
    fail_under: Annotated[
        Optional[float],
        typer.Option(
            "--fail-under",
            metavar="PCT",
            min=0,
            max=100,
            help="Exit 1 when coverage is below PCT percent.",
            show_default=False,
        ),
    ] = None,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """Every recommendation, the actions implementing it, their state, and what is not covered.

    States: not covered, dropped (every citing action dropped), overdue, delivered, in progress,
    planned. Exit 1 when the plan has problems (shown, not hidden) or coverage is under --fail-under.
    """
    _finish(
        "trace",
        recommendation_id=recommendation_id,
        plan=plan,
        registers=register,
        source=source,
        as_of=as_of,
        uncovered=uncovered,
        fail_under=fail_under,
        format_name=format_name.value,
        limit=limit,
    )


@app.command()
def corrections(
    plan: PlanOption = None,
    register: RegisterOption = None,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """Where the source documents printed something wrong or doubtful, and what the data records."""
    _finish("corrections", plan=plan, registers=register, format_name=format_name.value, limit=limit)


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(metavar="[plan|register]", help="Which file's schema.")] = "plan",
) -> None:
    """Print the JSON Schema of plan (or register) files, for editors and other validators."""
    _finish("schema", kind=kind)


@app.command()
def diff(
    base: Annotated[str, typer.Argument(metavar="[BASE]", help="Git revision to compare with.")] = "HEAD",
    plan: PlanOption = None,
    register: RegisterOption = None,
    format_name: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.text,
) -> None:
    """What an edit changes: the plan in the working tree against the same file at BASE.

    Lists added and removed actions, each changed field in plain words, and the change in
    recommendation coverage. Exit 0, or 2 outside a git repository or for an unknown revision.
    """
    _finish("diff", base=base, plan=plan, registers=register, format_name=format_name.value)


@app.command()
def stale(
    days: Annotated[
        int, typer.Option("--days", metavar="N", min=0, max=36_500, help="Stale after N days without an update.")
    ] = 90,
    plan: PlanOption = None,
    register: RegisterOption = None,
    as_of: AsOfOption = None,
    lead: LeadOption = None,
    theme: ThemeOption = None,
    format_name: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """Unfinished actions whose latest update is more than N days old, and, separately, started
    actions with no return at all; most neglected first."""
    _finish(
        "stale",
        days=days,
        plan=plan,
        registers=register,
        as_of=as_of,
        lead=lead,
        theme=theme,
        format_name=format_name.value,
        limit=limit,
    )


class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"


@app.command()
def report(
    plan: PlanOption = None,
    register: RegisterOption = None,
    as_of: AsOfOption = None,
    since: Annotated[
        Optional[str],
        typer.Option(
            "--since",
            metavar="DATE",
            help="The last meeting. Default: 3 months before the as-of date.",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        Optional[str],
        typer.Option(
            "--until",
            metavar="DATE",
            help="The next meeting. Default: 3 months after the as-of date.",
            show_default=False,
        ),
    ] = None,
    lead: Annotated[
        Optional[str],
        typer.Option(
            "--lead",
            "-l",
            metavar="ORG",
            help="Only the actions of ORG (its id, name or an alias).",
            show_default=False,
        ),
    ] = None,
    stale_days: Annotated[
        int, typer.Option("--stale-days", metavar="N", min=0, max=36_500, help="Amber after N days without an update.")
    ] = 90,
    format_name: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.html,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", metavar="FILE", help="Write to FILE instead of stdout.", show_default=False),
    ] = None,
) -> None:
    """The board's highlight report: RAG ratings, exceptions, changes since the last meeting,
    what falls due, overdue by partner, coverage, and every action in full.

    HTML is one file (no script, no network) that prints to A4; Markdown has the same content."""
    _finish(
        "report",
        plan=plan,
        registers=register,
        as_of=as_of,
        since=since,
        until=until,
        lead=lead,
        stale_days=stale_days,
        format_name=format_name.value,
        out=out,
    )


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command being run, when the first argument names one.

    Typer builds the parser of every command before it looks at the arguments; building
    the others costs more than running a query on a cached plan. `cheplan --help`, an
    unknown command (with its "did you mean") and options before the command get the whole app.
    """
    if args and not args[0].startswith("-"):
        for info in app.registered_commands:
            name = info.name or (typer.main.get_command_name(info.callback.__name__) if info.callback else None)
            if name == args[0]:
                single = copy.copy(app)
                single.registered_commands = [info]
                return single
    return app


def _tolerate_narrow_encodings() -> None:
    """On a terminal or file that is not UTF-8 (a Latin-1 locale, a Windows console), write
    characters it cannot hold as escapes instead of failing half-way through the output."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    """Console entry point; returns the exit code instead of raising SystemExit."""
    args = sys.argv[1:] if argv is None else argv
    if argv is None:
        _tolerate_narrow_encodings()
    # A run builds objects (modules, a plan, a table) and no garbage cycles worth finding;
    # the cyclic collector's passes over them cost several milliseconds of every command.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _app_for(args)(args=args, prog_name="cheplan")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    finally:
        if collecting:
            gc.enable()
        if argv is None:
            # Run as the `cheplan` program, which exits next. At exit the interpreter collects
            # over every object of the run (a sixth of an everyday command's time); frozen
            # objects are skipped, and reference counting still frees them.
            gc.freeze()
    return 0


if __name__ == "__main__":
    sys.exit(main())
