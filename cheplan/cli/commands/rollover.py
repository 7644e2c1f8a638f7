"""`cheplan rollover`: next year's plan, carrying what is unfinished, and the old plan closed."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS
from cheplan.cli.commands.init_plan import (
    DryRunOption,
    ForceOption,
    PeriodOption,
    parse_period,
    refuse_existing,
    refuse_unreadable,
    write_file,
)
from cheplan.cli.options import PlanOption
from cheplan.domain.errors import InvalidPlanError, UsageError

if TYPE_CHECKING:
    from cheplan.domain.model import Plan
    from cheplan.domain.problems import Problem
    from cheplan.loading.load import Source, Validation


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
    from cheplan.loading.load import collector_paused
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
    # Building the new plan allocates millions of values and frees none in cycles: the collector's
    # walks over them all (a third of the time of making the new plan) are paused, as validation's are.
    with collector_paused():
        return carry_over(
            plan_path, out, to=to, period=(first, last), day=day, title=title, force=force, dry_run=dry_run
        )


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
    """Both plans made and validated, then the new one written and the old one closed.

    Each big thing is made once and let go before the next (holding them all took 1.3 GB near
    the read caps). A new plan over a read cap is refused from a count of its data, before the
    seconds it takes to write and read back text no command could read again.
    """
    from cheplan.domain import caps
    from cheplan.editing.closing import check_closable, close_plan
    from cheplan.editing.record import text_sha256
    from cheplan.loading.load import Source, validate_sources
    from cheplan.loading.locate import display_name
    from cheplan.outputs.plan_yaml import plan_text, written_size
    from cheplan.questions.rollover import closing_block, roll_over

    name = display_name(plan_path)
    source = Source.read(plan_path)
    validation, old = _validate_closed(source, closing_block(day, [], to))
    made = roll_over(validation.documents[0], old, to=to, period=period, as_of=day, title=title)
    counts = f"{len(made.carried)} of {len(old.actions)} actions carried from {made.from_label}"
    remedy = f"Carry fewer actions at once: split {name} first (e.g. one plan per lead organisation)"
    size = written_size(made.data)
    refuse_unreadable(size.values, out, file_bytes=size.characters, remedy=remedy)
    # Validated closed with `carried: []`: its ids make it no less valid unless over the cap of values.
    closes_within_caps = written_size(validation.documents[0]).values + len(made.carried) <= caps.MAX_NODES
    checked = text_sha256(source.text) if closes_within_caps else None
    del validation, old, source
    block = closing_block(day, made.carried, to)
    comment = f"Made by `cheplan rollover` from {name} as of {day.isoformat()}: the actions unfinished then."
    text = plan_text(made.data, comment)
    dropped = ", ".join(f"{count} {key}" for key, count in made.dropped.items() if count)
    del made
    errors = validate_sources(Source(text, str(out)), []).errors  # its parsed copy let go at once
    payload = text.encode("utf-8")
    del text
    refuse_unreadable(0, out, file_bytes=len(payload), remedy=remedy)
    if errors or dry_run:
        return _written_nothing(errors, f"would write {out}: {counts}; and append to {name}:\n{block}")
    check_closable(plan_path, name)
    write_file(out, payload, force=force)
    close_plan(plan_path, name, block, checked=checked)
    dropped = f"; dropped outside the new period: {dropped}" if dropped else ""
    print(f"cheplan: wrote {out}: {counts}; {name} closed{dropped}", file=sys.stderr)
    return EXIT_OK


def _written_nothing(errors: list[Problem], dry_run: str) -> int:
    """The new plan's problems (exit 1), else what a dry run would have written (exit 0)."""
    from cheplan.cli.commands import print_problems

    if errors:
        print_problems(errors)
        print("cheplan: the new plan would not be valid; nothing written", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"cheplan: {dry_run}", file=sys.stderr, end="")
    print("cheplan: a dry run: nothing written", file=sys.stderr)
    return EXIT_OK


def _validate_closed(source: Source, placeholder: str) -> tuple[Validation, Plan]:
    """The plan validated once, as it will be when closed: with a `closed:` block appended
    that carries nothing yet. The ids it will carry are found from this plan (their statuses
    on the day); a plan that cannot be read, or cannot be closed, is refused with its problems
    as they are without the block."""
    from cheplan.domain.errors import WriteRefusedError
    from cheplan.editing.closing import closed_text
    from cheplan.loading.load import Source, validate_sources

    try:
        closed = Source(closed_text(source.text, placeholder), source.name)
    except WriteRefusedError:
        closed = None  # already closed: said below, with the day and the plan it carried into
    validation = None if closed is None else validate_sources(closed, [])
    if validation is not None and validation.ok and validation.plan is not None:
        return validation, validation.plan
    alone = validate_sources(source, [])
    if not alone.ok or alone.plan is None:
        raise InvalidPlanError(alone.errors)
    if alone.plan.closed is not None:
        closing = alone.plan.closed
        raise UsageError(f"{source.name}: already closed on {closing.date}, carried into {closing.by_plan}")
    problems = [] if validation is None else validation.errors
    raise WriteRefusedError(f"{source.name} not changed: closing it would make it invalid", problems)
