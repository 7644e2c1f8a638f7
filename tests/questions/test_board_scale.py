"""The board's content for a plan with many partners: each question asked once per action, not once per pair."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from cheplan.loading.load import load_plan
from cheplan.loading.locate import resolve_registers
from cheplan.questions import board
from cheplan.questions.board import SHARED, Window, build_board
from tests.conftest import MakePlan, base_action

PARTNERS = 40
ACTIONS = 200


def test_ownership_is_asked_a_bounded_number_of_times(make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch) -> None:
    # 5,000 actions and 300 partners took 36 s: who owns each overdue action was asked again for
    # every partner, and which partners made a return was worked out again for each of them.
    leads = [f"Org {n}" for n in range(PARTNERS)]
    actions = [
        base_action(n, lead=["All"] if n % 4 == 0 else [leads[n % PARTNERS]], end="2020-06")
        for n in range(1, ACTIONS + 1)
    ]
    loaded = load_plan(make_plan(actions), resolve_registers(None))
    calls = 0
    from cheplan.questions.organisations import organisations_of as real_organisations_of

    def counting(*args: Any) -> list[str]:
        nonlocal calls
        calls += 1
        return real_organisations_of(*args)

    monkeypatch.setattr(board, "organisations_of", counting)
    window = Window(as_of=date(2020, 12, 15), since=date(2020, 9, 1), until=date(2021, 3, 1))
    content = build_board(loaded.plan, loaded.registers, window)
    assert calls <= 3 * ACTIONS
    # Every overdue action under each partner that leads it, "All" once, as shared.
    everyone = ACTIONS // 4
    assert [name for name, _ in content.overdue_by_organisation] == [SHARED, *content.organisations]
    assert sum(len(rows) for _, rows in content.overdue_by_organisation) == ACTIONS
    assert sum(t.total for t in content.by_organisation) == ACTIONS - everyone + len(content.organisations) * everyone
