"""RAG ratings: each row of the rule table, its order, and properties over generated actions."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cheplan.domain.model import Action, ProgressEntry
from cheplan.domain.vocabulary import STATUSES
from cheplan.questions.actions import due_date, effective_end, is_finished, is_overdue
from cheplan.questions.rag import RATINGS, RULES, rate

AS_OF = date(2020, 10, 1)


def make_action(**fields: Any) -> Action:
    values: dict[str, Any] = {
        "id": 1,
        "theme": "governance",
        "action": "Do it.",
        "outcomes": "Done.",
        "lead": ["MPS"],
        "start": "2020-04",
        "end": "2021-03",
    }
    values.update(fields)
    return Action(**values)


def entry(day: str, status: str = "in_progress", **fields: Any) -> ProgressEntry:
    return ProgressEntry(date=day, status=status, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("progress", "end", "rating", "reason"),
    [
        ([entry("2020-09-01", "complete")], "2020-06", "blue", "complete (reported 2020-09-01)"),
        ([entry("2020-09-01", "dropped", note="Merged into action 2.")], "2020-06", "grey", "Merged into action 2."),
        ([entry("2020-09-20")], "2020-09", "red", "past its effective end 2020-09 (due 2020-09-30) by 1 day"),
        ([entry("2020-09-20", revised_end="2021-06", note="Agreed.")], "2021-03", "amber", "slipped"),
        ([entry("2020-06-01")], "2021-03", "amber", "stale: latest update 2020-06-01, 122 days old (over 120)"),
        ([entry("2020-09-20", "planned")], "2020-10", "amber", "due 2020-10-31 (30 days left) and planned"),
        ([], "2020-10", "amber", "not reported, not in progress"),
        ([entry("2020-09-20")], "2020-10", "green", "in progress, due 2020-10-31 (30 days left)"),
        ([entry("2020-09-20")], "2021-03", "green", "in progress"),
        ([], "2021-03", "none", "no progress reported yet; due 2021-03-31"),
        ([entry("2020-09-20", "planned")], "2021-03", "none", "planned as of 2020-09-20"),
        # Reported later than the as-of date: not on record yet.
        ([entry("2020-12-01", "complete")], "2021-03", "none", "no progress reported yet"),
    ],
)
def test_each_row_of_the_rule_table(progress: list[ProgressEntry], end: str, rating: str, reason: str) -> None:
    found = rate(make_action(end=end, progress=progress), AS_OF)
    assert found.rating == rating
    assert any(reason in text for text in found.reasons), found.reasons


def test_amber_gives_every_reason_that_applies() -> None:
    revised = entry("2020-05-01", "planned", revised_end="2020-10", note="Agreed.")
    action = make_action(end="2020-09", progress=[revised])
    reasons = rate(action, AS_OF).reasons
    assert [r.split(":")[0].split(" ")[0] for r in reasons] == ["slipped", "stale", "due"]


def test_stale_days_is_a_parameter() -> None:
    action = make_action(progress=[entry("2020-06-01")])
    assert rate(action, AS_OF, stale_days=200).rating == "green"
    assert rate(action, AS_OF, stale_days=121).rating == "amber"
    assert rate(action, AS_OF, stale_days=122).rating == "green"  # "more than N days"


def test_the_leads_own_judgement_is_an_override_beside_the_rating() -> None:
    action = make_action(progress=[entry("2020-09-20", rag="red", note="Funding withdrawn.", by="MPS")])
    found = rate(action, AS_OF)
    assert found.rating == "green"
    assert found.override is not None
    assert (found.override.rating, found.override.note, found.override.by) == ("red", "Funding withdrawn.", "MPS")
    assert found.flagged
    # A later return without a judgement replaces it: the override is the latest entry's.
    later = dataclasses.replace(action, progress=[*action.progress, entry("2020-09-25")])
    assert rate(later, AS_OF).override is None


def test_the_rule_table_is_in_order_and_covers_every_rating() -> None:
    assert [rule.rating for rule in RULES] == ["blue", "grey", "red", "amber", "green", "none"]
    assert sorted(RATINGS) == sorted(rule.rating for rule in RULES)


months = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(2019, 2022), st.integers(1, 12))
days = st.dates(min_value=date(2019, 1, 1), max_value=date(2022, 12, 31))
entries = st.lists(
    st.builds(
        lambda d, s, r, g: ProgressEntry(date=d.isoformat(), status=s, note="n", revised_end=r, rag=g),
        days,
        st.sampled_from(STATUSES),
        st.none() | months,
        st.none() | st.sampled_from(["red", "amber", "green"]),
    ),
    max_size=4,
)
actions = st.builds(lambda end, progress: make_action(end=end, progress=progress), months, entries)


@given(action=actions, as_of=days, stale_days=st.integers(0, 400))
def test_rating_properties(action: Action, as_of: date, stale_days: int) -> None:
    found = rate(action, as_of, stale_days=stale_days)
    status = action.status_on(as_of)
    assert found.reasons
    assert (found.rating == "blue") == (status == "complete")
    assert (found.rating == "grey") == (status == "dropped")
    assert (found.rating == "red") == is_overdue(action, as_of)
    if found.rating in ("green", "none"):
        latest = action.progress_on(as_of)
        assert effective_end(action, as_of) <= action.end  # not slipped
        assert latest is None or (as_of - date.fromisoformat(latest.date)).days <= stale_days  # not stale
        assert not is_finished(action, as_of)
    if found.rating == "green":
        assert status == "in_progress"
    if found.rating == "none":
        assert status != "in_progress"  # not started is never green
        assert due_date(action, as_of) > as_of + timedelta(days=30)
    latest = action.progress_on(as_of)
    assert (found.override.rating if found.override else None) == (latest.rag if latest else None)


@given(action=actions, as_of=days)
def test_what_is_reported_later_does_not_change_a_past_rating(action: Action, as_of: date) -> None:
    on_record = [e for e in action.progress if e.date <= as_of.isoformat()]
    assert rate(action, as_of) == rate(dataclasses.replace(action, progress=on_record), as_of)
