"""`cheplan init`: a plan from the table a council already publishes (.docx, .xlsx or .csv)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS
from cheplan.domain.errors import UnreadableInputError, UsageError

if TYPE_CHECKING:
    from cheplan.questions.table_import import ImportResult

PeriodOption = Annotated[
    str,
    typer.Option("--period", metavar="YYYY-MM..YYYY-MM", help="The plan period, e.g. 2021-04..2022-03."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace --out if it exists (atomically).")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Say what would be written; write nothing.")]


def init_plan(
    source: Annotated[
        Path, typer.Option("--from", metavar="FILE", help="The table: a .docx, .xlsx or .csv file.", show_default=False)
    ],
    title: Annotated[
        str, typer.Option("--title", metavar="TEXT", help="The plan's title as printed.", show_default=False)
    ],
    period: PeriodOption,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="The plan file to write.")],
    sheet: Annotated[
        Optional[str], typer.Option("--sheet", metavar="NAME", help="The workbook's sheet (default: the first).")
    ] = None,
    table: Annotated[
        Optional[int], typer.Option("--table", metavar="N", min=1, help="The document's table, 1 first (default 1).")
    ] = None,
    columns: Annotated[
        Optional[str],
        typer.Option("--columns", metavar="FIELD=COL,...", help='Which column holds what, e.g. "action=C,lead=E".'),
    ] = None,
    board: Annotated[
        str, typer.Option("--board", metavar="TEXT", help="The board that owns the plan.")
    ] = "To be confirmed",
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> int:
    """A new plan from a council's action-plan table: every value verbatim, every guess marked.

    Prints the column mapping it chose (--columns overrides it) and what needs a person: leads
    grouped by similarity, references it could not read, action numbers printed twice. Writes
    --out (never over an existing file without --force) only when the plan validates; else exit 1
    with each problem at its cell. Register stubs, one per source code cited, go beside --out.
    """
    from cheplan.loading.locate import display_name
    from cheplan.loading.tables import read_table
    from cheplan.questions.import_columns import choose_mapping
    from cheplan.questions.table_import import import_table

    first, last = parse_period(period)
    refuse_existing(out, force)
    name = display_name(source)
    found = read_table(source, name, sheet=sheet, table_number=table)
    mapping = choose_mapping(found, columns)
    print(f"cheplan: columns: {mapping.describe()}", file=sys.stderr)
    result = import_table(found, mapping)
    del found  # the table's cells: a table near the size cap must not sit beside the plan made from it
    if refused(result, name):
        return EXIT_PROBLEMS
    data = plan_data(result, title=title, board=board, period=(first, last), source=name)
    comment = (
        f"Made by `cheplan init` from {name}: every value as the table printed it.\n"
        "Source notes saying 'please confirm' are cheplan's guesses: check each, then add `confirmed: true`."
    )
    return write_plan(out, data, comment, result, force=force, dry_run=dry_run)


def refused(result: ImportResult, name: str) -> bool:
    """Each formula (unreadable input: exit 2) or problem (exit 1) at its cell; nothing is written."""
    if result.formulas:
        for where in result.formulas:
            print(f"{where}: error: a formula; cheplan reads values, never runs formulas", file=sys.stderr)
        raise UnreadableInputError(
            f"{name}: {len(result.formulas)} cell(s) hold formulas; paste them as values and try again"
        )
    for where, message in result.problems:
        print(f"{where}: error: {message}", file=sys.stderr)
    if result.problems:
        print(f"cheplan: {len(result.problems)} problem(s) in {name}; nothing written", file=sys.stderr)
    return bool(result.problems)


def parse_period(period: str) -> tuple[str, str]:
    from cheplan.domain.months import month_problem

    first, separator, last = period.partition("..")
    problem = month_problem(first) or month_problem(last) if separator else "write it as YYYY-MM..YYYY-MM"
    if problem or first > last:
        raise UsageError(f"--period {period!r}: {problem or 'the first month is after the last'}")
    return first, last


def refuse_existing(out: Path, force: bool) -> None:
    if not force and (out.exists() or out.is_symlink()):
        raise UsageError(f"--out {out}: the file exists; nothing is overwritten without --force")


def plan_data(result: ImportResult, *, title: str, board: str, period: tuple[str, str], source: str) -> dict[str, Any]:
    key = [
        {
            "code": code,
            "name": code,
            "source_notes": [
                {
                    "field": "name",
                    "printed": code,
                    "note": "The table prints only the code; write the source's full name.",
                }
            ],
        }
        for code in result.sources
    ]
    return {
        "schema_version": 1,
        "plan": {
            "title": title,
            "board": board,
            "period": {"start": period[0], "end": period[1]},
            "source": f"{source}, read by cheplan init",
            "recommendation_key": key,
        },
        "themes": result.themes,
        "actions": result.actions,
        "organisations": result.organisations,
    }


def write_plan(
    out: Path, data: dict[str, Any], comment: str, result: ImportResult, *, force: bool, dry_run: bool = False
) -> int:
    """Validate the plan text, then write it and the register stubs, all or nothing; exit 1
    without writing on problems.

    The list of actions (`data`'s, which is `result`'s) is emptied once the text is made: a table
    near the size cap, held as data, as text and as the text's validation at once, took 570 MiB."""
    from cheplan.cli.commands import print_problems
    from cheplan.domain.filesystem.out_files import output_set
    from cheplan.loading.load import Source, validate_sources
    from cheplan.outputs.plan_yaml import plan_text, written_size

    remedy = "Make the plan from a smaller table (fewer rows, or shorter cells), then add the rest"
    size = written_size(data)
    refuse_unreadable(size.values, out, file_bytes=size.characters, remedy=remedy)
    text = plan_text(data, comment)
    counts = f"{len(result.actions)} actions, {len(result.organisations)} organisations"
    data["actions"].clear()
    errors = validate_sources(Source(text, str(out)), []).errors  # the parsed copy let go at once
    payload = text.encode("utf-8")
    del text
    refuse_unreadable(0, out, file_bytes=len(payload), remedy=remedy)
    if errors:
        print_problems(errors)
        print("cheplan: the plan made from the table is not valid; nothing written", file=sys.stderr)
        return EXIT_PROBLEMS
    stubs = {out.with_name(f"{out.stem}.{code}.register-stub.yaml"): ids for code, ids in result.cited.items()}
    for path in stubs:
        refuse_existing(path, force)
    if not dry_run:
        with output_set(out.parent, name=str(out.parent)) as files:
            files.add(out.name, payload, name=str(out))
            for path, ids in stubs.items():
                stub = {"source": path.name.split(".")[-3], "cited": sorted(set(ids), key=ids.index)}
                note = "A stub, not yet a register: the ids the plan cites. Transcribe each recommendation's text."
                files.add(path.name, plan_text(stub, note).encode("utf-8"), name=str(path))
    done = "would write (a dry run: nothing written)" if dry_run else "wrote"
    print(f"cheplan: {done} {out} ({counts}, {len(stubs)} register stubs)", file=sys.stderr)
    for item in result.needs_human:
        print(f"cheplan: needs a person: {item}", file=sys.stderr)
    print(
        f"cheplan: {len(result.needs_human)} thing(s) need a person; `cheplan validate {out}` lists them",
        file=sys.stderr,
    )
    return EXIT_OK


def refuse_unreadable(values: int, out: Path, *, file_bytes: int = 0, remedy: str) -> None:
    """Refuse a new plan over a read cap (values in one file, bytes of file): no command could
    read it, so it is never written; `remedy` says what to do instead."""
    from cheplan.domain import caps

    if values > caps.MAX_NODES:
        over = f"{values:,} values (texts, numbers, lists and mappings), over the cap of {caps.MAX_NODES:,}"
    elif file_bytes > caps.MAX_FILE_BYTES:
        over = f"at least {file_bytes:,} bytes, over the cap of {caps.MAX_FILE_BYTES:,}"
    else:
        return
    raise UsageError(
        f"--out {out}: the new plan would hold {over} that cheplan reads in a plan file; nothing written. {remedy}"
    )


def write_file(path: Path, payload: bytes, *, force: bool) -> None:
    from cheplan.domain.filesystem.writing import NEW_FILE_MODE, create_exclusively, replace_atomically

    exists = UsageError(f"--out {path}: the file exists; nothing is overwritten without --force")
    try:
        if force:
            replace_atomically(path, payload)
        elif not create_exclusively(path, payload, NEW_FILE_MODE):
            # Written whole beside it and linked into place: a reader or a crash never meets
            # half a plan, and a file that appeared meanwhile is never replaced.
            raise exists
    except FileExistsError:
        raise exists from None
