"""`cheplan rollover`: next year's plan, carrying what is unfinished, and the old plan closed."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS
from cheplan.cli.commands.init_plan import (
    DryRunOption,
    ForceOption,
    PeriodOption,
    parse_period,
    refuse_existing,
    write_file,
)
from cheplan.cli.options import PlanOption
from cheplan.domain.errors import UsageError


def rollover(
    to: Annotated[str, typer.Option("--to", metavar="LABEL", help="The new plan's label, e.g. 2021/22.")],
    period: PeriodOption,
    as_of: Annotated[
        str, typer.Option("--as-of", metavar="YYYY-MM-DD", help="The day the old plan closes: what is unfinished then.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="The new plan file to write.")],
    plan: PlanOption = None,
    title: Annotated[
        Optional[str],
        typer.Option("--title", metavar="TEXT", help="The new plan's title (default: the old one, relabelled)."),
    ] = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
) -> int:
    """Start next year's plan: every action unfinished on --as-of is carried, with its text,
    outcomes, leads, references and theme, and `carried_from` saying where it came from.

    Its end is the new period's last month, flagged `end_agreed: false` until the board agrees a
    real one (validate warns; overdue and due show "to be agreed"). The organisations and every
    other list are copied (meetings and rounds only inside the new period). The old plan gets a
    `closed:` block appended; not one other byte of it changes. Nothing is written unless both
    plans validate.
    """
    from cheplan.cli.commands.output import as_of_date, refuse_input_as_output
    from cheplan.loading.locate import SHIPPED_PLAN, resolve_plan, shipped_data_dir

    day = as_of_date(as_of)
    first, last = parse_period(period)
    plan_path = resolve_plan(plan)
    if plan_path.resolve() == (shipped_data_dir() / SHIPPED_PLAN).resolve():
        raise UsageError(
            "rollover closes the plan it reads, and the shipped plan is evidence cheplan never edits:"
            " copy it (e.g. to my_plan.yaml) and give --plan my_plan.yaml"
        )
    refuse_input_as_output(out, [plan_path])
    refuse_existing(out, force)
    return carry_over(plan_path, out, to=to, period=(first, last), day=day, title=title, force=force, dry_run=dry_run)


def carry_over(
    plan_path: Path,
    out: Path,
    *,
    to: str,
    period: tuple[str, str],
    day: date,
    title: str | None,
    force: bool,
    dry_run: bool = False,
) -> int:
    """Both plans made and validated, then the new one written and the old one closed."""
    from cheplan.cli.commands import print_problems
    from cheplan.editing.closing import check_closable, close_plan, closed_text
    from cheplan.loading.load import Source, load_plan, validate_sources
    from cheplan.loading.locate import display_name
    from cheplan.outputs.plan_yaml import plan_text
    from cheplan.questions.rollover import closing_block, roll_over

    name = display_name(plan_path)
    source = Source.read(plan_path)
    loaded = load_plan(plan_path, [])
    if loaded.plan.closed is not None:
        raise UsageError(
            f"{name}: already closed on {loaded.plan.closed.date}, carried into {loaded.plan.closed.by_plan}"
        )
    made = roll_over(
        validate_sources(source, []).documents[0], loaded.plan, to=to, period=period, as_of=day, title=title
    )
    comment = f"Made by `cheplan rollover` from {name} as of {day.isoformat()}: the actions unfinished then."
    text = plan_text(made.data, comment)
    block = closing_block(day, made.carried, to)
    closed_text(source.text, block)  # refused now, before anything is written, if already closed
    checked = validate_sources(Source(text, str(out)), [])
    if checked.errors:
        print_problems(checked.errors)
        print("cheplan: the new plan would not be valid; nothing written", file=sys.stderr)
        return EXIT_PROBLEMS
    counts = f"{len(made.carried)} of {len(loaded.plan.actions)} actions carried from {made.from_label}"
    if dry_run:
        print(f"cheplan: would write {out}: {counts}; and append to {name}:\n{block}", file=sys.stderr, end="")
        print("cheplan: a dry run: nothing written", file=sys.stderr)
        return EXIT_OK
    check_closable(plan_path, name)
    write_file(out, text.encode("utf-8"), force=force)
    close_plan(plan_path, name, block)
    dropped = ", ".join(f"{count} {key}" for key, count in made.dropped.items() if count)
    dropped = f"; dropped outside the new period: {dropped}" if dropped else ""
    print(f"cheplan: wrote {out}: {counts}; {name} closed{dropped}", file=sys.stderr)
    return EXIT_OK
