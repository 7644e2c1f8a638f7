"""The one rule for a shared action's status, and the count the board report gives."""

from __future__ import annotations

from cheplan.domain.combined_status import combined_status
from cheplan.domain.model import ProgressEntry
from cheplan.questions.return_round import partners_reported
from tests.questions.test_actions import make_action


def entry(day: str, status: str, organisation: str | None, **more: str) -> ProgressEntry:
    return ProgressEntry(date=day, status=status, organisation=organisation, note="n", **more)  # type: ignore[arg-type]


def test_the_least_advanced_latest_entry_of_each_organisation_wins() -> None:
    log = [
        entry("2020-10-01", "in_progress", "a"),
        entry("2020-11-01", "complete", "a"),
        entry("2020-10-15", "in_progress", "b"),
        entry("2020-10-20", "complete", "c"),
    ]
    assert combined_status(log) == "in_progress"  # b has not finished
    assert combined_status(log, "2020-10-10") == "in_progress"
    assert combined_status([*log, entry("2020-12-01", "complete", "b")]) == "complete"
    # The coordinator counts as an organisation of its own, and may drop the action.
    assert combined_status([*log, entry("2020-09-01", "planned", None)]) == "planned"
    assert combined_status([*log, entry("2020-12-01", "dropped", None)]) == "dropped"
    # With one reporter the rule is "the latest entry".
    assert combined_status([entry("2020-10-01", "complete", None), entry("2020-11-01", "planned", None)]) == "planned"


def test_the_report_says_how_many_partners_reported() -> None:
    log = [
        entry("2020-10-01", "in_progress", "a"),
        entry("2020-10-02", "in_progress", "b", support_asked="A venue"),
        entry("2020-10-03", "in_progress", "c"),
        entry("2020-10-04", "complete", "d", by="NPS", support_asked="Sign-off"),
        entry("2020-10-05", "planned", None),
    ]
    action = make_action(7, lead=["All"], status="planned", progress=log)
    assert partners_reported(action, 15) == "4 of 15 partners reported: 3 in progress, 1 complete"
