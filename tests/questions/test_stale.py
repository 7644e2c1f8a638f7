"""Stale updates: which unfinished actions have gone quiet, and in which order."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from cheplan.domain.model import Action
from cheplan.questions.actions import is_finished
from cheplan.questions.stale import stale, started_on
from tests.questions.test_actions import make_plan
from tests.questions.test_rag import actions, days, entry, make_action

AS_OF = date(2020, 10, 1)


def test_old_updates_and_no_returns_are_listed_separately_most_neglected_first() -> None:
    plan = make_plan(
        make_action(id=1, progress=[entry("2020-06-01")]),  # 122 days
        make_action(id=2, progress=[entry("2020-03-01")]),  # 214 days
        make_action(id=3, progress=[entry("2020-09-01")]),  # recent
        make_action(id=4, progress=[entry("2020-01-01", "complete")]),  # finished
        make_action(id=5, start="2020-06"),  # no return since June
        make_action(id=6, start="2019-04"),  # no return since April 2019
        make_action(id=7, start="2020-11"),  # not started yet
    )
    found = stale(plan, AS_OF, days=90)
    assert [(row.action.id, row.days) for row in found.stale] == [(2, 214), (1, 122)]
    assert [(row.action.id, row.since.isoformat()) for row in found.never_reported] == [
        (6, "2019-04-01"),
        (5, "2020-06-01"),
    ]
    assert found.considered == 6


def test_exactly_n_days_is_not_stale() -> None:
    plan = make_plan(make_action(progress=[entry("2020-07-03")]))
    assert (AS_OF - date(2020, 7, 3)).days == 90
    assert stale(plan, AS_OF, days=90).stale == []
    assert len(stale(plan, AS_OF, days=89).stale) == 1


@given(action=actions, as_of=days, limit=st.integers(0, 400))
def test_stale_properties(action: Action, as_of: date, limit: int) -> None:
    found = stale(make_plan(action), as_of, days=limit)
    listed = found.stale + found.never_reported
    assert len(listed) <= 1
    for row in listed:
        assert not is_finished(action, as_of)
        assert row.days >= 0
    latest = action.progress_on(as_of)
    expect_stale = (
        not is_finished(action, as_of) and latest is not None and (as_of - date.fromisoformat(latest.date)).days > limit
    )
    assert bool(found.stale) == expect_stale
    expect_never = not is_finished(action, as_of) and latest is None and started_on(action) <= as_of
    assert bool(found.never_reported) == expect_never


def test_a_shared_action_is_stale_or_fresh_for_each_organisation_by_its_own_latest_entry() -> None:
    shared = make_action(
        id=7,
        lead=["NPS", "MPS"],
        progress=[entry("2020-03-01", note="Coordinator: begun"), entry("2020-09-30", organisation="nps")],
    )
    found = stale(make_plan(shared, make_action(id=8, lead=["MPS"], progress=[entry("2020-09-01")])), AS_OF, days=90)
    assert [(row.action.id, row.organisation, row.days) for row in found.stale] == [(7, "mps", 214)]
    assert found.never_reported == []
    assert found.considered == 3  # action 7 once for each of its organisations, and action 8
    only_nps = stale(make_plan(shared), AS_OF, days=90, lead="NPS")
    assert only_nps.stale == []
    assert only_nps.considered == 1
