"""`cheplan actions` (a filtered list) and `cheplan actions ID` / `cheplan show ID` (one in full)."""

from __future__ import annotations

from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import as_of_date, emit
from cheplan.loading.load import load_plan
from cheplan.loading.locate import resolve_plan, resolve_registers
from cheplan.outputs.action_listings import action_detail_listing, actions_listing
from cheplan.questions.actions import filter_actions, require_action


def run(
    *,
    action_id: int | None,
    plan: Path | None,
    registers: list[Path] | None,
    lead: str | None,
    theme: str | None,
    statuses: list[str] | None,
    format_name: str,
    limit: int | None,
    as_of: str | None = None,
    stale_days: int | None = None,
) -> int:
    on = as_of_date(as_of)
    loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
    if action_id is not None:
        action = require_action(loaded.plan, action_id, loaded.plan_name)
        emit(action_detail_listing(loaded.plan, action, loaded.registers, on, stale_days), format_name)
        return EXIT_OK
    actions = filter_actions(loaded.plan, lead=lead, theme=theme, status=statuses)
    emit(actions_listing(loaded.plan, actions, on, stale_days), format_name, limit=limit)
    return EXIT_OK
