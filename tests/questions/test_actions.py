"""Due dates, overdue and coming-due queries: month-end boundaries, finished statuses, lead matching."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cheplan.domain.model import Action, Plan, PlanMeta, ProgressEntry, Theme
from cheplan.domain.plan_period import Approval, Period
from cheplan.questions.actions import coming_due, due_date, is_overdue, matching_leads, overdue


def make_action(action_id: int = 1, **fields: Any) -> Action:
    values: dict[str, Any] = {
        "id": action_id,
        "theme": "governance",
        "action": f"Action {action_id}.",
        "outcomes": "Better.",
        "lead": ["LBS Community Safety & Partnerships"],
        "start": "2020-04",
        "end": "2020-09",
    }
    values.update(fields)
    return Action(**values)


def make_plan(*actions: Action) -> Plan:
    meta = PlanMeta(
        title="Test plan",
        board="Test board",
        approved=Approval(by="Cabinet", date="2020-04-07"),
        period=Period(start="2020-04", end="2021-03"),
        source="Tests",
        recommendation_key=[],
    )
    themes = [Theme(id="governance", title="GOVERNANCE"), Theme(id="enforcement", title="TARGETING LAWBREAKERS")]
    return Plan(schema_version=1, plan=meta, themes=themes, actions=list(actions))


def entry(day: str, status: str, note: str = "") -> ProgressEntry:
    return ProgressEntry(date=day, status=status, note=note)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("end", "due"),
    [
        ("2020-09", date(2020, 9, 30)),  # 30 days
        ("2020-08", date(2020, 8, 31)),  # 31 days
        ("2020-02", date(2020, 2, 29)),  # February, leap year
        ("2021-02", date(2021, 2, 28)),  # February, common year
        ("2000-02", date(2000, 2, 29)),  # divisible by 400: leap
        ("2100-02", date(2100, 2, 28)),  # divisible by 100: not leap
        ("2020-12", date(2020, 12, 31)),  # the year ends
    ],
)
def test_an_action_is_due_on_the_last_day_of_its_end_month(end: str, due: date) -> None:
    action = make_action(end=end)
    assert due_date(action) == due
    assert not is_overdue(action, due), "on the last day of the month it is not yet overdue"
    assert is_overdue(action, due + timedelta(days=1))
    assert not is_overdue(action, due - timedelta(days=1))


def test_days_overdue_counts_from_the_due_date() -> None:
    plan = make_plan(make_action(1, end="2020-02"))
    (row,) = overdue(plan, date(2020, 3, 1))
    assert (row.due, row.days_overdue) == (date(2020, 2, 29), 1)
    (row,) = overdue(plan, date(2021, 2, 28))
    assert row.days_overdue == 365  # from 2020-02-29: a year on is 2021-02-28


def test_overdue_is_sorted_most_overdue_first_then_by_id() -> None:
    plan = make_plan(
        make_action(1, end="2020-09"),
        make_action(2, end="2020-06"),
        make_action(3, end="2020-09"),
        make_action(4, end="2021-03"),
    )
    rows = overdue(plan, date(2020, 10, 15))
    assert [(r.action.id, r.days_overdue) for r in rows] == [(2, 107), (1, 15), (3, 15)]


def test_nothing_is_overdue_before_the_plan_starts() -> None:
    plan = make_plan(make_action(1, start="2020-04", end="2020-04"), make_action(2, end="2021-03"))
    assert overdue(plan, date(2019, 12, 31)) == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": "complete", "progress": [entry("2020-09-01", "complete")]}, False),
        ({"status": "dropped", "progress": [entry("2020-09-01", "dropped", "Superseded.")]}, False),
        ({"status": "complete"}, False),  # finished per the status field, even without an entry
        ({"status": "in_progress"}, True),
        ({"status": "planned"}, True),
        ({"status": "not_reported"}, True),
        # The latest progress entry wins over the status field, both ways.
        ({"status": "not_reported", "progress": [entry("2020-09-01", "complete")]}, False),
        (
            {
                "status": "complete",
                "progress": [entry("2020-06-01", "complete"), entry("2020-09-01", "in_progress", "Reopened.")],
            },
            True,
        ),
    ],
)
def test_finished_actions_are_never_overdue(fields: dict[str, Any], expected: bool) -> None:
    action = make_action(1, end="2020-06", **fields)
    assert is_overdue(action, date(2021, 1, 1)) is expected
    assert bool(overdue(make_plan(action), date(2021, 1, 1))) is expected


def test_lead_filter_picks_a_whole_name_else_every_lead_containing_it() -> None:
    plan = make_plan(
        make_action(1, lead=["MPS"]),
        make_action(2, lead=["LBS Regulatory Services", "MPS Southwark"]),
        make_action(3, lead=["LBS Public Health"]),
        make_action(4, lead=["MPS", "MPS Southwark"]),
    )
    # Without a directory each printed lead is an organisation: "mps" is one of them exactly.
    assert [(r.action.id, r.matched_leads) for r in overdue(plan, date(2020, 10, 1), lead="mps")] == [
        (1, ("MPS",)),
        (4, ("MPS",)),
    ]
    rows = overdue(plan, date(2020, 10, 1), lead="mp")
    assert [(r.action.id, r.matched_leads, r.organisations) for r in rows] == [
        (1, ("MPS",), ("mps",)),
        (2, ("MPS Southwark",), ("mps-southwark",)),
        (4, ("MPS", "MPS Southwark"), ("mps", "mps-southwark")),
    ]
    unfiltered = overdue(plan, date(2020, 10, 1))
    assert unfiltered[1].matched_leads == ("LBS Regulatory Services", "MPS Southwark")
    assert matching_leads(plan.actions[1], "southwark") == ["MPS Southwark"]


def test_theme_filter_matches_id_or_title() -> None:
    plan = make_plan(make_action(1), make_action(2, theme="enforcement"))
    assert [r.action.id for r in overdue(plan, date(2020, 10, 1), theme="lawbreak")] == [2]
    assert [r.action.id for r in overdue(plan, date(2020, 10, 1), theme="GOVERN")] == [1]


def test_coming_due_includes_both_ends_of_the_window_soonest_first() -> None:
    plan = make_plan(
        make_action(1, end="2020-09"),  # due 2020-09-30: today at the start of the window
        make_action(2, end="2020-11"),  # due 2020-11-30: outside
        make_action(3, end="2020-10"),  # due 2020-10-31: the window's last day
        make_action(4, end="2020-08"),  # already overdue: not "coming due"
        make_action(5, end="2020-10", status="complete"),  # finished
    )
    rows = coming_due(plan, date(2020, 9, 30), date(2020, 10, 31))
    assert [(r.action.id, r.days_left) for r in rows] == [(1, 0), (3, 31)]
    assert coming_due(plan, date(2020, 9, 30), date(2020, 10, 30)) == rows[:1]


def test_coming_due_filters_by_lead() -> None:
    plan = make_plan(make_action(1, lead=["MPS"]), make_action(2, lead=["NPS"]))
    rows = coming_due(plan, date(2020, 9, 1), date(2020, 9, 30), lead="nps")
    assert [r.action.id for r in rows] == [2]


months = st.builds(lambda year, month: f"{year:04d}-{month:02d}", st.integers(1990, 2100), st.integers(1, 12))
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2101, 12, 31))


@given(end=months, as_of=days)
def test_overdue_exactly_when_after_the_last_day_of_the_end_month(end: str, as_of: date) -> None:
    year, month = int(end[:4]), int(end[5:])
    last_day = date(year, month, calendar.monthrange(year, month)[1])
    action = make_action(1, start="1990-01", end=end)
    assert is_overdue(action, as_of) == (as_of > last_day)
    rows = overdue(make_plan(action), as_of)
    assert bool(rows) == (as_of > last_day)
    if rows:
        assert rows[0].days_overdue == (as_of - last_day).days > 0


@given(end=months, as_of=days, window=st.integers(0, 400))
def test_coming_due_and_overdue_never_overlap(end: str, as_of: date, window: int) -> None:
    plan = make_plan(make_action(1, start="1990-01", end=end))
    due = coming_due(plan, as_of, as_of + timedelta(days=window))
    late = overdue(plan, as_of)
    assert not (due and late)
    if due:
        assert 0 <= due[0].days_left <= window
