"""What `returns import --apply` writes: the entries, the rounds' returns and the Measures
sheets' values in one locked, validated, atomic write of the plan (all or nothing)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cheplan.domain.indicators import IndicatorValue
    from cheplan.domain.model import ProgressEntry
    from cheplan.editing.rounds import RoundChange


def record_all(
    plan_path: Path,
    entries: list[tuple[int, ProgressEntry]],
    rounds: list[RoundChange],
    values: list[tuple[str, IndicatorValue]],
    registers: list[Path],
    on: date,
    plan_text: str | None,
    known_values: int | None = None,
) -> bool:
    """The entries, the rounds' returns and the indicators' values in one write; whether any
    entry or value was recorded. `known_values`: the values in `plan_text`, when its validation
    counted them (entries that would take the plan past the cap are refused before the write's)."""
    from cheplan.domain.safe_text import visible
    from cheplan.editing.record import record_progress, text_sha256

    if not entries and not rounds and not values:
        return False
    outcome = record_progress(
        plan_path,
        entries,
        registers=registers,
        today=on,
        expected_sha256=None if plan_text is None else text_sha256(plan_text),
        cache=True,
        rounds=rounds,
        values=values,
        known_values=known_values,
    )
    for warning in outcome.warnings:
        print(visible(warning.as_text()), file=sys.stderr)
    return outcome.written or outcome.values_recorded
