"""`cheplan returns send --round ID --deadline DATE`: each organisation's workbook, mailed to its contacts.

Organisations the round was already sent to are skipped (their messages are on record in
the plan's `rounds:`), unless named with `--resend`. Exit 0 when every message went (or was
written, with --dry-run), 1 naming those not sent, 2 on a usage error.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cheplan.cli.commands.output import as_of_date
from cheplan.cli.commands.returns_mail import Mailing, chosen, require_named_plan, run_mailing, settings_for
from cheplan.domain.errors import UsageError
from cheplan.domain.months import parse_date
from cheplan.domain.rounds import ReturnsRound, find_round, round_id_problem
from cheplan.loading.load import load_plan
from cheplan.loading.locate import resolve_plan, resolve_registers

if TYPE_CHECKING:
    from cheplan.editing.rounds import RoundChange


def parse_deadline(value: str, as_of: date) -> date:
    try:
        deadline = parse_date(value)
    except ValueError as exc:
        raise UsageError(f"--deadline: {exc}") from None
    if deadline < as_of:
        raise UsageError(f"--deadline: {deadline.isoformat()} is before the round's as-of date {as_of.isoformat()}")
    return deadline


def check_round_id(round_id: str) -> None:
    problem = round_id_problem(round_id)
    if problem:
        raise UsageError(f"--round: {problem}")


def run(
    *,
    round_id: str,
    deadline: str,
    plan: Path | None,
    registers: list[Path] | None,
    lead: str | None,
    meeting: str | None,
    resend: list[str],
    dry_run: Path | None,
    mail_config: Path | None,
    insecure: bool,
    as_of: str | None,
) -> int:
    from cheplan.editing.rounds import RoundChange, record_round

    check_round_id(round_id)
    settings, dry_run = settings_for(mail_config, dry_run, round_id, insecure=insecure)
    if dry_run is None:
        require_named_plan(plan)
    plan_path, register_paths = resolve_plan(plan), resolve_registers(registers)
    loaded = load_plan(plan_path, register_paths)
    existing = find_round(loaded.plan.rounds, round_id)
    on = date.fromisoformat(existing.as_of) if existing and as_of is None else as_of_date(as_of)
    due = parse_deadline(deadline, on).isoformat()
    change = RoundChange(round_id, as_of=on.isoformat(), deadline=due, meeting=meeting)
    if dry_run is None:  # recorded first: proves the plan can be written before anything is sent
        round_ = record_round(plan_path, change, registers=register_paths)
    else:
        round_ = _previewed(existing, change)
    mailing = Mailing(plan_path, register_paths, loaded, round_, "send", settings, dry_run)
    organisations = chosen(mailing.directory, lead)
    _check_resend(resend, [o.id for o in organisations])
    already = {m.organisation: m for m in round_.messages if m.kind == "send"}
    pending = []
    for organisation in organisations:
        if organisation.id in already and organisation.id not in resend:
            sent = already[organisation.id]
            print(f"{organisation.id}: already sent {sent.sent} ({sent.message_id}); --resend {organisation.id}"
                  " sends it again", file=sys.stderr)  # fmt: skip
            continue
        pending.append(organisation)
    return run_mailing(mailing, pending, insecure=insecure)


def _previewed(existing: ReturnsRound | None, change: RoundChange) -> ReturnsRound:
    """The round as a real run would record it, for a dry run (which writes nothing to the plan)."""
    from dataclasses import replace

    assert change.as_of is not None
    assert change.deadline is not None
    if existing is None:
        return ReturnsRound(id=change.round_id, as_of=change.as_of, deadline=change.deadline, meeting=change.meeting)
    moved = [change.deadline] if change.deadline != existing.current_deadline else []
    return replace(
        existing, revised_deadlines=[*existing.revised_deadlines, *moved], meeting=existing.meeting or change.meeting
    )


def _check_resend(resend: list[str], ids: list[str]) -> None:
    from cheplan.domain.words import suggestion

    for organisation_id in resend:
        if organisation_id not in ids:
            raise UsageError(
                f"--resend: no organisation {organisation_id!r} in this round{suggestion(organisation_id, ids)}"
            )
