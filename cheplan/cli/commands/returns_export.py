"""`cheplan returns export --out DIR`: one returns workbook per organisation (or the one named)."""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import (
    AsOfOption,
    DeadlineOption,
    ExportRoundOption,
    LeadOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    chosen_registers,
)
from cheplan.domain.errors import UsageError

if TYPE_CHECKING:
    from cheplan.domain.model import Action, Organisation, Plan
    from cheplan.domain.rounds import ReturnsRound
    from cheplan.questions.organisations import Directory


def returns_export(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Directory to write the workbooks in.")],
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: LeadOption = None,
    as_of: AsOfOption = None,
    round_id: ExportRoundOption = None,
    deadline: DeadlineOption = None,
) -> int:
    """Write one .xlsx returns workbook per organisation (or only --lead's): its unfinished actions."""
    from cheplan.cli.commands.output import as_of_date
    from cheplan.domain.rounds import find_round
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import resolve_plan, resolve_registers
    from cheplan.loading.returns_key import returns_key
    from cheplan.questions.organisations import directory_of

    on = as_of_date(as_of)
    registers = resolve_registers(chosen_registers(register, no_default_registers))
    if round_id is None and deadline is not None:
        raise UsageError("--deadline is the deadline of a returns round: give the round with --round ID")
    if round_id is not None:
        _check_round_options(plan, round_id)
    plan_path = resolve_plan(plan)
    loaded = load_plan(plan_path, registers, cache=True)
    existing = find_round(loaded.plan.rounds, round_id) if round_id is not None else None
    if existing is not None and as_of is None:
        on = date.fromisoformat(existing.as_of)  # the round's workbooks, as first made
    directory = directory_of(loaded.plan)
    work = returns_work(loaded.plan, directory, chosen(directory, lead), on)
    refuse_over_returns_caps(work)  # before the round is recorded or any workbook made
    round_ = None
    if round_id is not None:
        round_ = _record_round(plan_path, registers, round_id, deadline, on)
    return _write_workbooks(out, loaded.plan, work, on, round_, returns_key(create=True))


@dataclass(frozen=True)
class ReturnsWork:
    """One organisation's workbook to make: its unfinished actions (none: only its indicators)."""

    organisation: Organisation
    actions: list[Action]


def chosen(directory: Directory, lead: str | None) -> list[Organisation]:
    """The organisations a run makes workbooks for: --lead's, else all; each id once (a directory
    derived from printed leads can repeat an id)."""
    from cheplan.questions.organisations import require_one_organisation

    seen: dict[str, Organisation] = {}
    for organisation in [require_one_organisation(directory, lead)] if lead is not None else directory.organisations:
        seen.setdefault(organisation.id, organisation)
    return list(seen.values())


def returns_work(plan: Plan, directory: Directory, organisations: list[Organisation], on: date) -> list[ReturnsWork]:
    from cheplan.questions.rounds import unfinished_by_organisation

    unfinished = unfinished_by_organisation(plan, directory, [o.id for o in organisations], on)
    return [ReturnsWork(o, unfinished[o.id]) for o in organisations]


def refuse_over_returns_caps(work: list[ReturnsWork]) -> None:
    """Refuse at once, naming the cap, a workbook or a run past the output caps (domain/caps.py)."""
    from cheplan.cli.commands.output import refuse_over_cap
    from cheplan.domain import caps
    from cheplan.domain.safe_text import visible

    for item in work:
        name = visible(item.organisation.name)
        refuse_over_cap(
            len(item.actions), caps.MAX_WORKBOOK_ROWS, f"unfinished actions of {name}", "one returns workbook holds",
            f"a partner fills in each row by hand: record {name}'s progress with `cheplan update` instead",
        )  # fmt: skip
    rows = sum(len(item.actions) for item in work)
    refuse_over_cap(
        rows, caps.MAX_RETURNS_ROWS, f"rows in {len(work):,} workbooks", "one returns run writes",
        "make them a few organisations at a time, each with --lead ORG",
    )  # fmt: skip


def _write_workbooks(
    out: Path, plan: Plan, work: list[ReturnsWork], on: date, round_: ReturnsRound | None, key: bytes
) -> int:
    from cheplan.domain.filesystem.out_files import output_set
    from cheplan.domain.safe_text import visible
    from cheplan.domain.words import plural
    from cheplan.loading.locate import display_name
    from cheplan.outputs.returns_workbook import ReturnRequest, returns_workbook
    from cheplan.questions.plan_digest import plan_digest

    digest = plan_digest(plan)
    written: list[str] = []
    # All or nothing: a refusal halfway (a full disk, a read-only workbook) leaves no partial set.
    with output_set(out, name=display_name(out)) as workbooks:
        for item in work:
            organisation, actions = item.organisation, item.actions
            if not actions and not any(i.owner == organisation.id for i in plan.indicators):
                nothing = f"{organisation.id}: no unfinished actions on {on.isoformat()}; no workbook written"
                print(nothing, file=sys.stderr)
                continue
            data = returns_workbook(ReturnRequest(plan, organisation, actions, on, digest, key, round_))
            # The run keeps the cyclic collector off (cli.app); openpyxl's workbook is a web of
            # cycles, so each one would stay in memory until exit: collect it before the next.
            gc.collect(0)
            target = out / workbook_name(organisation)
            workbooks.add(target.name, data, name=display_name(target))
            # The name is plan text: shown, never obeyed by the terminal.
            written.append(visible(f"{display_name(target)}: {organisation.name}, {plural(len(actions), 'action')}"))
    for line in written:  # once they are all in place
        print(line)
    return EXIT_OK


def workbook_name(organisation: Organisation) -> str:
    return f"returns-{organisation.id}.xlsx"


def _check_round_options(plan: Path | None, round_id: str) -> None:
    from cheplan.cli.commands.returns_mail import check_round_id, require_named_plan

    check_round_id(round_id)
    require_named_plan(plan)


def _record_round(
    plan_path: Path, registers: list[Path], round_id: str, deadline: str | None, on: date
) -> ReturnsRound:
    """Start the round in the plan (or find it there), its workbooks made as of `on`."""
    from cheplan.cli.commands.returns_mail import parse_deadline
    from cheplan.editing.rounds import RoundChange, record_round

    due = parse_deadline(deadline, on).isoformat() if deadline is not None else None
    change = RoundChange(round_id, as_of=on.isoformat(), deadline=due)
    return record_round(plan_path, change, registers=registers, cache=True)
