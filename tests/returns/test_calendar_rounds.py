"""`cheplan calendar`: reminders, sequences, full summaries, round deadlines, checked with two
independent parsers (icalendar and vobject)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import vobject
from icalendar import Calendar

from tests.conftest import MakePlan, RunCli, base_action

LONG = (
    "Develop and deliver a partnership-wide programme of training on exploitation, contextual safeguarding and"
    " trauma-informed practice for every frontline officer of every partner, evaluated after six months."
)
ROUND = {"id": "2020-Q3", "as_of": "2020-09-30", "deadline": "2020-10-21", "meeting": "2020-11-04"}
REVISION = {"date": "2020-11-01", "status": "in_progress", "note": "Agreed by the board.", "revised_end": "2021-06"}


def by_uid_icalendar(text: str) -> dict[str, Any]:
    return {str(e["UID"]): e for e in Calendar.from_ical(text).walk("VEVENT")}


def by_uid_vobject(text: str) -> dict[str, Any]:
    return {e.uid.value: e for e in vobject.readOne(text).vevent_list}


def feed(cli: RunCli, plan: Path, *args: str) -> str:
    result = cli("calendar", "--plan", plan, "--as-of", "2020-10-01", *args)
    assert result.code == 0, result.stderr
    return result.stdout


@pytest.fixture
def plan(make_plan: MakePlan) -> Path:
    return make_plan(
        [base_action(1, action=LONG, end="2020-12"), base_action(2, lead=["All"], end="2021-01")], rounds=[ROUND]
    )


def test_every_event_has_two_reminders_by_default(cli: RunCli, plan: Path) -> None:
    text = feed(cli, plan)
    for event in by_uid_icalendar(text).values():
        assert sorted(a["TRIGGER"].dt for a in event.walk("VALARM")) == [timedelta(days=-7), timedelta(days=-1)]
    for event in by_uid_vobject(text).values():
        assert sorted(a.trigger.value for a in event.valarm_list) == [timedelta(days=-7), timedelta(days=-1)]
        assert all(a.action.value == "DISPLAY" for a in event.valarm_list)


def test_reminders_are_configurable(cli: RunCli, plan: Path) -> None:
    text = feed(cli, plan, "--remind", "14", "--remind", "2")
    for event in by_uid_vobject(text).values():
        assert sorted(a.trigger.value for a in event.valarm_list) == [timedelta(days=-14), timedelta(days=-2)]
    assert "VALARM" not in feed(cli, plan, "--no-reminders")


def test_summaries_are_whole_and_lines_folded(cli: RunCli, plan: Path) -> None:
    text = feed(cli, plan)
    summaries = {str(e["SUMMARY"]) for e in by_uid_icalendar(text).values()}
    assert f"Action 1 due: {LONG}" in summaries
    assert f"Action 1 due: {LONG}" in {e.summary.value for e in by_uid_vobject(text).values()}
    assert "…" not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_the_rounds_deadline_is_an_event(cli: RunCli, plan: Path) -> None:
    events = by_uid_vobject(feed(cli, plan))
    [deadline] = [e for e in events.values() if e.summary.value == "Returns due: round 2020-Q3"]
    assert deadline.dtstart.value == date(2020, 10, 21)
    assert deadline.dtend.value == date(2020, 10, 22)
    assert "meeting of 2020-11-04" in deadline.description.value


def test_a_revised_end_keeps_the_uid_and_raises_the_sequence(cli: RunCli, make_plan: MakePlan) -> None:
    before = make_plan([base_action(1, end="2020-12")])
    after = make_plan([base_action(1, end="2020-12", status="in_progress", progress=[REVISION])])
    old = by_uid_icalendar(cli("calendar", "--plan", before, "--as-of", "2020-11-15").stdout)
    new = by_uid_icalendar(cli("calendar", "--plan", after, "--as-of", "2020-11-15").stdout)
    assert old.keys() == new.keys()
    [uid] = old
    assert (old[uid]["SEQUENCE"], new[uid]["SEQUENCE"]) == (0, 1)
    assert old[uid]["DTSTART"].dt == date(2020, 12, 31)
    assert new[uid]["DTSTART"].dt == date(2021, 6, 30)
    assert new[uid]["LAST-MODIFIED"].dt.date() == date(2020, 11, 1)
    assert "LAST-MODIFIED" not in old[uid]


def test_a_moved_deadline_keeps_the_uid_and_raises_the_sequence(cli: RunCli, make_plan: MakePlan) -> None:
    moved = ROUND | {"revised_deadlines": ["2020-10-28"]}
    first = by_uid_vobject(feed(cli, make_plan([base_action(1)], rounds=[ROUND])))
    second = by_uid_vobject(feed(cli, make_plan([base_action(1)], rounds=[moved])))
    [uid] = [u for u in first if "-round-" in u]
    assert uid in second
    assert (first[uid].sequence.value, second[uid].sequence.value) == ("0", "1")
    assert second[uid].dtstart.value == date(2020, 10, 28)


def test_lead_keeps_its_own_and_the_shared_events(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan(
        [base_action(1, lead=["MPS"]), base_action(2, lead=["NPS"]), base_action(3, lead=["All"])], rounds=[ROUND]
    )
    summaries = {e.summary.value for e in by_uid_vobject(feed(cli, plan, "--lead", "NPS")).values()}
    assert summaries == {
        "Action 2 due: Action number 2.",
        "Action 3 due: Action number 3.",
        "Returns due: round 2020-Q3",
    }


def test_an_overdue_action_says_so(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, end="2020-06")])
    [event] = by_uid_vobject(feed(cli, plan)).values()
    assert event.summary.value == "Action 1 overdue: Action number 1."
