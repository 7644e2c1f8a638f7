"""What `returns import --apply` writes: the entries and the rounds' returns in one locked,
validated, atomic write of the plan (all or nothing), then the Measures sheets' values
through the writer `cheplan measure` uses."""

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
) -> bool:
    """The entries and the rounds' returns in one locked, validated write; then the Measures values."""
    written, changed = _record(plan_path, entries, rounds, registers, on, _sha256(plan_text))
    return _record_values(plan_path, values, registers, None if changed else _sha256(plan_text)) or written


def _sha256(text: str | None) -> str | None:
    from cheplan.editing.record import text_sha256

    return None if text is None else text_sha256(text)


def _record(
    plan_path: Path,
    entries: list[tuple[int, ProgressEntry]],
    rounds: list[RoundChange],
    registers: list[Path],
    on: date,
    checked: str | None,
) -> tuple[bool, bool]:
    """Whether entries were recorded, and whether the plan changed at all (a round's returns)."""
    from cheplan.domain.safe_text import visible
    from cheplan.editing.record import record_progress

    if not entries and not rounds:
        return False, False
    outcome = record_progress(
        plan_path, entries, registers=registers, today=on, expected_sha256=checked, cache=True, rounds=rounds
    )
    for warning in outcome.warnings:
        print(visible(warning.as_text()), file=sys.stderr)
    return outcome.written, outcome.written or outcome.rounds_recorded


def _record_values(
    plan_path: Path, values: list[tuple[str, IndicatorValue]], registers: list[Path], checked: str | None
) -> bool:
    """The Measures sheets' values, through the writer `cheplan measure` uses."""
    if not values:
        return False
    from cheplan.domain.safe_text import visible
    from cheplan.editing.indicator_values import record_values

    outcome = record_values(plan_path, values, registers=registers, expected_sha256=checked, cache=True)
    for warning in outcome.warnings:
        print(visible(warning.as_text()), file=sys.stderr)
    return outcome.written
