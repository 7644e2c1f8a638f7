"""Recording entries on most of a plan's actions reads the plan's data from the validation
cache when the command has just validated it there, instead of parsing the file once more
(at 40,000 actions and 10,000 returned rows, a second of an import's eight)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cheplan.domain.model import ProgressEntry
from cheplan.editing.record import record_progress
from cheplan.loading import load, safe_yaml
from cheplan.loading.load import load_plan, validate_paths
from cheplan.loading.locate import resolve_registers
from tests.conftest import SHIPPED_PLAN

TODAY = date(2021, 1, 15)


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = safe_yaml.parse_yaml

    def counted(text: str, name: str) -> Any:
        if len(text) > 10_000:  # the plan, not a register
            calls.append(1)
        return real(text, name)

    for module in (safe_yaml, load):
        monkeypatch.setattr(module, "parse_yaml", counted)
    return calls


def _entries() -> list[tuple[int, ProgressEntry]]:
    return [(n, ProgressEntry(date="2021-01-05", status="in_progress", note=f"Return {n}.")) for n in range(1, 39)]


@pytest.mark.usefixtures("cache_dir")
@pytest.mark.parametrize("cached", [True, False])
def test_a_plan_just_validated_is_not_parsed_again_to_find_its_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(SHIPPED_PLAN, plan)
    if cached:
        load_plan(plan, resolve_registers(None), cache=True)  # as `returns import` does before it records
    parses = _parses(monkeypatch)
    outcome = record_progress(plan, _entries(), registers=None, today=TODAY, cache=True)
    assert sum(e.recorded for e in outcome.entries) == 38
    assert len(parses) == (1 if cached else 2)  # the result validated; the blocks' data parsed unless cached
    written = validate_paths(plan, [])
    assert written.plan is not None
    assert all(action.progress[-1].note == f"Return {action.id}." for action in written.plan.actions)
