"""The meeting cycle, decisions and movement, asked of the plan directly (no command line)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS
from cheplan.loading.load import load_plan
from cheplan.questions.decisions import decisions_needed, pending_asks, pending_proposal
from cheplan.questions.meetings import cycle_of, stale_days_for
from tests.conftest import MakePlan, RunCli, base_action

BODY = "Partnership board"


def meetings(*days: str) -> list[dict[str, Any]]:
    return [{"date": day, "body": BODY} for day in days]


def plan_with(make_plan: MakePlan, actions: list[dict[str, Any]] | None = None, **top: Any) -> Any:
    return load_plan(make_plan(actions or [base_action(1)], **top), []).plan


@pytest.mark.parametrize(
    ("as_of", "meeting", "previous", "before_last", "following"),
    [
        ("2020-06-30", "2020-07-01", "2020-04-01", "2020-01-15", "2020-10-01"),
        ("2020-07-01", "2020-07-01", "2020-04-01", "2020-01-15", "2020-10-01"),  # on the day: that meeting
        ("2020-07-02", "2020-10-01", "2020-07-01", "2020-04-01", None),
        ("2020-12-01", None, "2020-10-01", "2020-07-01", None),
        ("2019-01-01", "2020-01-15", None, None, "2020-04-01"),
    ],
)
def test_a_report_is_for_the_next_meeting_since_the_one_before(
    make_plan: MakePlan, as_of: str, meeting: str | None, previous: str | None, before_last: str | None,
    following: str | None,
) -> None:  # fmt: skip
    plan = plan_with(make_plan, meetings=meetings("2020-01-15", "2020-04-01", "2020-07-01", "2020-10-01"))
    cycle = cycle_of(plan, date.fromisoformat(as_of))
    found = [m.date if m else None for m in (cycle.meeting, cycle.previous, cycle.before_last, cycle.following)]
    assert found == [meeting, previous, before_last, following]


def test_stale_follows_the_cycle_unless_the_plan_says(make_plan: MakePlan) -> None:
    cycled = plan_with(make_plan, meetings=meetings("2020-04-01", "2020-07-01", "2020-10-01"))
    # For the meeting of 2020-10-01: stale when the latest update is on or before 2020-04-01.
    assert stale_days_for(cycled, date(2020, 10, 1)) == (date(2020, 10, 1) - date(2020, 4, 1)).days - 1
    assert stale_days_for(plan_with(make_plan), date(2020, 10, 1)) == DEFAULT_STALE_DAYS
    one_meeting = plan_with(make_plan, meetings=meetings("2020-10-01"))
    assert stale_days_for(one_meeting, date(2020, 10, 1)) == DEFAULT_STALE_DAYS
    set_by_plan = plan_with(make_plan, meetings=meetings("2020-04-01"), reporting={"stale_days": 45})
    assert stale_days_for(set_by_plan, date(2020, 10, 1)) == 45


def entry(day: str, **fields: Any) -> dict[str, Any]:
    return {"date": day, "status": "in_progress", "note": "Noted.", **fields}


def test_pending_proposals_and_asks_until_the_board_decides(make_plan: MakePlan) -> None:
    log = [
        entry("2020-06-01", proposed_end="2021-06"),
        entry("2020-06-02", support_asked="Money."),
        entry("2020-06-03", support_asked="People."),
        entry("2020-07-01", decision="agreed", ask=2, meeting="2020-07-01"),
    ]
    plan = plan_with(make_plan, [base_action(1, status="in_progress", progress=log)], meetings=meetings("2020-07-01"))
    action = plan.actions[0]
    proposal = pending_proposal(action, date(2020, 7, 1))
    assert proposal is not None
    assert proposal.proposed_end == "2021-06"
    assert [number for number, _ in pending_asks(action, date(2020, 7, 1))] == [1]
    assert [number for number, _ in pending_asks(action, date(2020, 6, 30))] == [1, 2]
    needed = decisions_needed([action], date(2020, 7, 1), red_then={1}, red_now={1})
    assert [(d.kind, d.ask_number) for d in needed] == [("proposal", None), ("ask", 1), ("escalation", None)]
    assert needed[0].consequence.startswith("the action would end 3 months later than the baseline")


def test_a_rejection_settles_the_proposal(make_plan: MakePlan) -> None:
    log = [entry("2020-06-01", proposed_end="2021-06"), entry("2020-07-01", decision="rejected", note="No.")]
    action = plan_with(make_plan, [base_action(1, status="in_progress", progress=log)]).actions[0]
    assert pending_proposal(action, date(2020, 7, 1)) is None
    assert pending_proposal(action, date(2020, 6, 30)) is not None


def test_meetings_lists_each_with_its_window(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan(
        [base_action(1)],
        meetings=[*meetings("2020-07-01"), {"date": "2020-10-01", "body": BODY, "papers_due": "2020-09-24"}],
    )
    data = json.loads(cli("meetings", "--plan", plan, "-f", "json").stdout)
    assert data == [
        {"date": "2020-07-01", "body": BODY, "papers_due": None, "reports_since": None, "closes_rounds": []},
        {
            "date": "2020-10-01",
            "body": BODY,
            "papers_due": "2020-09-24",
            "reports_since": "2020-07-01",
            "closes_rounds": [],
        },
    ]
    table = cli("meetings", "--plan", plan).stdout
    assert "after 2020-07-01" in table
    assert table.rstrip().endswith("none")
    assert "lists no meetings" in cli("meetings", "--plan", make_plan([base_action(1)])).stdout


def test_a_finished_action_takes_no_rag_rating(cli: RunCli, make_plan: MakePlan, tmp_path: Path) -> None:
    plan = make_plan([base_action(1, status="complete", progress=[entry("2020-06-01", status="complete")])])
    before = plan.read_bytes()
    result = cli("update", "1", "--rag", "red", "--note", "Worried.", "--date", "2020-07-01", "--plan", plan)
    assert result.code == 2
    assert "action 1 is complete as of 2020-07-01: a finished action takes no RAG rating" in result.stderr
    assert plan.read_bytes() == before
