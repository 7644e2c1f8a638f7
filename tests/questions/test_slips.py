"""Agreed revised ends: the baseline stays, the effective end drives due dates, every view shows the slip."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from cheplan.domain.model import ProgressEntry
from cheplan.domain.months import months_between
from cheplan.questions.actions import due_date, is_overdue
from cheplan.questions.slips import end_cell, end_json, slip_of
from tests.questions.test_actions import make_action

AGREED = "Agreed by the board on 2020-12-01: the venue closed."


def revision(day: str, month: str, note: str = AGREED) -> ProgressEntry:
    return ProgressEntry(date=day, status="in_progress", note=note, revised_end=month)


ACTION = make_action(1, end="2020-12", status="in_progress", progress=[revision("2020-12-01", "2021-06")])


def test_the_slip_reads_as_months_moved_and_when_agreed() -> None:
    slip = slip_of(ACTION)
    assert slip is not None
    assert slip.sentence() == "end Dec 2020 → Jun 2021 (+6 months, agreed 2020-12-01)"
    assert end_cell(ACTION) == "2020-12 → 2021-06 (+6 months, agreed 2020-12-01)"


def test_before_the_revision_was_agreed_the_baseline_is_in_force() -> None:
    before = date(2020, 11, 30)
    assert slip_of(ACTION, before) is None
    assert end_cell(ACTION, before) == "2020-12"
    assert end_json(ACTION, before) == {
        "baseline_end": "2020-12",
        "effective_end": "2020-12",
        "revision": None,
        "proposal": None,
    }
    assert due_date(ACTION, before) == date(2020, 12, 31)


def test_the_effective_end_drives_overdue() -> None:
    assert is_overdue(ACTION, date(2021, 1, 1)) is False
    assert is_overdue(ACTION, date(2021, 7, 1)) is True
    assert end_json(ACTION, date(2021, 1, 1)) == {
        "baseline_end": "2020-12",
        "effective_end": "2021-06",
        "revision": {"agreed": "2020-12-01", "months": 6, "note": AGREED},
        "proposal": None,
    }


def test_a_partners_proposal_is_shown_beside_the_end_and_never_moves_it() -> None:
    proposal = ProgressEntry(
        date="2020-09-30",
        status="in_progress",
        note="Venue lost",
        by="LBS Family Early Help",
        organisation="lbs-family-early-help",
        proposed_end="2021-06",
    )
    action = make_action(1, end="2020-12", status="in_progress", progress=[proposal])
    assert slip_of(action) is None
    assert end_cell(action) == "2020-12 (proposed: 2021-06, by LBS Family Early Help on 2020-09-30)"
    assert end_json(action)["effective_end"] == "2020-12"
    assert end_json(action)["proposal"] == {
        "end": "2021-06",
        "by": "LBS Family Early Help",
        "organisation": "lbs-family-early-help",
        "date": "2020-09-30",
    }
    assert is_overdue(action, date(2021, 1, 1)) is True  # the baseline still holds
    assert end_cell(action, date(2020, 9, 1)) == "2020-12"  # not yet proposed then
    # The board's decision answers it: the revision is in force and the proposal no longer pending.
    decided = make_action(
        1, end="2020-12", status="in_progress", progress=[proposal, revision("2020-10-15", "2021-03")]
    )
    assert end_cell(decided) == "2020-12 → 2021-03 (+3 months, agreed 2020-10-15)"


def test_the_latest_revision_wins_and_an_earlier_end_reads_as_such() -> None:
    action = make_action(
        1, end="2020-12", progress=[revision("2020-10-01", "2021-06"), revision("2020-11-01", "2020-11")]
    )
    slip = slip_of(action)
    assert slip is not None
    assert slip.sentence() == "end Dec 2020 → Nov 2020 (-1 month, agreed 2020-11-01)"
    same = make_action(1, end="2020-12", progress=[revision("2020-10-01", "2020-12")])
    assert end_cell(same) == "2020-12 → 2020-12 (no change, agreed 2020-10-01)"


def test_an_action_never_revised_shows_its_end_alone() -> None:
    action = make_action(1, end="2020-09")
    assert (end_cell(action), slip_of(action)) == ("2020-09", None)


months = st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2019, 2023), st.integers(1, 12))


@given(months, months)
def test_the_slip_counts_the_months_between_baseline_and_revision(baseline: str, revised: str) -> None:
    action = make_action(1, start="2019-01", end=baseline, progress=[revision("2020-06-01", revised)])
    slip = slip_of(action)
    assert slip is not None
    assert slip.months == months_between(baseline, revised)
    assert slip.cell().startswith(f"{baseline} → {revised} (")
