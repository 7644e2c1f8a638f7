"""`cheplan returns export --out DIR`: one returns workbook per organisation (or the one named)."""

from __future__ import annotations

import gc
import sys
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
    from cheplan.domain.model import Organisation


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
    from cheplan.domain.filesystem.out_files import output_set
    from cheplan.domain.safe_text import visible
    from cheplan.domain.words import plural
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
    from cheplan.loading.returns_key import returns_key
    from cheplan.outputs.returns_workbook import ReturnRequest, returns_workbook
    from cheplan.questions.actions import is_finished
    from cheplan.questions.organisations import actions_of, directory_of, require_one_organisation
    from cheplan.questions.returns import plan_digest

    on = as_of_date(as_of)
    registers = resolve_registers(chosen_registers(register, no_default_registers))
    if round_id is not None:
        on = _record_round(plan, registers, round_id, deadline, on, as_of_given=as_of is not None)
    elif deadline is not None:
        raise UsageError("--deadline is the deadline of a returns round: give the round with --round ID")
    loaded = load_plan(resolve_plan(plan), registers, cache=True)
    directory = directory_of(loaded.plan)
    organisations = [require_one_organisation(directory, lead)] if lead is not None else directory.organisations
    digest = plan_digest(loaded.plan)
    key = returns_key(create=True)
    seen: set[str] = set()
    written: list[str] = []
    # All or nothing: a refusal halfway (a full disk, a read-only workbook) leaves no partial set.
    with output_set(out, name=display_name(out)) as workbooks:
        for organisation in organisations:
            if organisation.id in seen:
                continue  # a directory derived from printed leads can repeat an id; its actions are already out
            seen.add(organisation.id)
            actions = [a for a in actions_of(loaded.plan, directory, organisation.id) if not is_finished(a, on)]
            if not actions and not any(i.owner == organisation.id for i in loaded.plan.indicators):
                nothing = f"{organisation.id}: no unfinished actions on {on.isoformat()}; no workbook written"
                print(nothing, file=sys.stderr)
                continue
            data = returns_workbook(ReturnRequest(loaded.plan, organisation, actions, on, digest, key, round_id))
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


def _record_round(
    plan: Path | None, registers: list[Path], round_id: str, deadline: str | None, on: date, *, as_of_given: bool
) -> date:
    """Start the round in the plan (or find it there); the as-of date its workbooks are made on."""
    from cheplan.cli.commands.returns_mail import check_round_id, parse_deadline, require_named_plan
    from cheplan.domain.rounds import find_round
    from cheplan.editing.rounds import RoundChange, record_round
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import resolve_plan

    check_round_id(round_id)
    require_named_plan(plan)
    plan_path = resolve_plan(plan)
    existing = find_round(load_plan(plan_path, registers).plan.rounds, round_id)
    if existing is not None and not as_of_given:
        on = date.fromisoformat(existing.as_of)  # the round's workbooks, as first made
    due = parse_deadline(deadline, on).isoformat() if deadline is not None else None
    record_round(plan_path, RoundChange(round_id, as_of=on.isoformat(), deadline=due), registers=registers)
    return on
