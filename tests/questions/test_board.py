"""The board report's figures agree with each other, whatever the plan and the dates."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from cheplan.domain.model import Action, Plan
from cheplan.outputs.board_report import render_report
from cheplan.questions.board import Window, build_board
from cheplan.questions.rag import rate
from tests.questions.test_actions import make_plan
from tests.questions.test_rag import actions, days

plans = st.lists(actions, min_size=0, max_size=6).map(
    lambda found: make_plan(*(dataclasses.replace(a, id=n) for n, a in enumerate(found, 1)))
)


@given(plan=plans, as_of=days, back=st.integers(0, 400), ahead=st.integers(0, 400))
def test_board_figures_agree(plan: Plan, as_of: date, back: int, ahead: int) -> None:
    window = Window(as_of=as_of, since=as_of - timedelta(days=back), until=as_of + timedelta(days=ahead))
    board = build_board(plan, [], window)
    actions_in_plan = plan.actions
    assert sum(board.counts.values()) == len(actions_in_plan)
    assert sum(t.total for t in board.by_theme) == len(actions_in_plan)
    for item in board.rated:
        now, then = rate(item.action, as_of), rate(item.action, window.since)
        stale_only = now.rating == "amber" and all(r.startswith("stale:") for r in now.reasons)
        wanted = now.rating != "blue" and (
            (now.flagged and not (stale_only and (now.override is None or now.override.rating == "green")))
            or then.rating == "red"
        )
        assert (item in board.exceptions) == wanted
        assert item not in board.exceptions or item not in board.stale_only
    for event in board.completed:
        assert window.since.isoformat() < event.entry.date <= as_of.isoformat()
        assert event.rated.action.status_on(as_of) == "complete"
    for event in board.slipped:
        assert event.entry.revised_end is not None
        assert window.since.isoformat() < event.entry.date <= as_of.isoformat()
    assert all(as_of <= row.due <= window.until for row in board.due)
    assert set(board.returned) <= set(board.organisations)


@settings(max_examples=30, deadline=None)
@given(plan=plans, as_of=days)
def test_the_markdown_report_parses_with_every_section(plan: Plan, as_of: date) -> None:
    window = Window(as_of=as_of, since=as_of - timedelta(days=90), until=as_of + timedelta(days=90))
    text = render_report(build_board(plan, [], window), "markdown")
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert rendered.count("<h2>") == 11  # ten numbered sections and Outcomes
    assert rendered.count("<h3>Action ") == len(plan.actions)


def test_overdue_by_partner_lists_a_co_led_action_under_each_lead_whose_share_is_unfinished() -> None:
    from tests.questions.test_rag import entry, make_action

    co_led = make_action(
        id=38,
        lead=["NPS", "MPS"],
        end="2020-09",
        progress=[
            entry("2020-09-20", organisation="mps"),
            entry("2020-09-30", "complete", organisation="nps", evidence="Minutes of 30 Sep"),
        ],
    )
    as_of = date(2020, 10, 15)
    board = build_board(make_plan(co_led), [], Window(as_of=as_of, since=date(2020, 7, 1), until=date(2021, 1, 1)))
    assert [(name, [row.action.id for row in rows]) for name, rows in board.overdue_by_organisation] == [("MPS", [38])]


def _partner_tallies(*actions: Action, as_of: date = date(2020, 10, 15)) -> dict[str, dict[str, int]]:
    window = Window(as_of=as_of, since=date(2020, 7, 1), until=date(2021, 1, 1))
    board = build_board(make_plan(*actions), [], window)
    return {t.label: {rating: n for rating, n in t.counts.items() if n} for t in board.by_organisation}


def test_rag_by_partner_rates_a_shared_action_by_each_organisations_own_share() -> None:
    from tests.questions.test_rag import entry, make_action

    nps, mps = make_action(id=1, lead=["NPS"]), make_action(id=2, lead=["MPS"])
    everyone = make_action(id=7, lead=["All"], end="2020-12", progress=[entry("2020-10-01", organisation="nps")])
    # NPS's share is in progress and on track; MPS has reported nothing on it: not started.
    assert _partner_tallies(nps, mps, everyone) == {"MPS": {"none": 2}, "NPS": {"green": 1, "none": 1}}
    co_led = make_action(
        id=38,
        lead=["NPS", "MPS"],
        end="2020-09",
        progress=[
            entry("2020-09-20", organisation="mps"),
            entry("2020-09-30", "complete", organisation="nps", evidence="Minutes of 30 Sep"),
        ],
    )
    # NPS finished its share; MPS's is past the end and unfinished.
    assert _partner_tallies(co_led) == {"MPS": {"red": 1}, "NPS": {"blue": 1}}


def test_rag_by_partner_counts_the_coordinators_entries_for_every_share() -> None:
    from tests.questions.test_rag import entry, make_action

    nps, mps = make_action(id=1, lead=["NPS"]), make_action(id=2, lead=["MPS"])
    everyone = make_action(id=7, lead=["All"], end="2020-12", progress=[entry("2020-10-01")])
    no_log = make_action(id=8, lead=["All"], end="2020-12", status="in_progress")  # the status field is all there is
    assert _partner_tallies(nps, mps, everyone, no_log) == {
        "MPS": {"green": 2, "none": 1},
        "NPS": {"green": 2, "none": 1},
    }
