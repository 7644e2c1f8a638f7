"""What an exception asks of the board: one suggested decision per reason for red or amber."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from cheplan.domain.model import Action
from cheplan.questions.asks import asks_of_the_board
from cheplan.questions.rag import rate
from tests.conftest import RunCli
from tests.questions.test_rag import actions, days, entry, make_action

AS_OF = date(2020, 10, 1)


def test_a_late_action_asks_for_a_revised_end_or_escalation() -> None:
    late = make_action(end="2020-06", progress=[entry("2020-09-01")])
    assert asks_of_the_board(rate(late, AS_OF)) == ["Agree a revised end month with the lead, or escalate."]


def test_an_amber_action_asks_one_decision_per_reason() -> None:
    stale_and_due = make_action(end="2020-10", progress=[entry("2020-05-01", "planned")])
    assert asks_of_the_board(rate(stale_and_due, AS_OF)) == [
        "Ask the lead for an update before the next meeting.",
        "Confirm the lead will start it before it falls due.",
    ]


def test_an_action_on_track_asks_nothing_unless_its_lead_raises_a_concern() -> None:
    on_track = make_action(end="2021-03", progress=[entry("2020-09-01")])
    assert asks_of_the_board(rate(on_track, AS_OF)) == []
    worried = make_action(end="2021-03", progress=[entry("2020-09-01", rag="amber", note="Funding ends in March.")])
    assert asks_of_the_board(rate(worried, AS_OF)) == [
        "Hear the concern the lead has raised, and decide what support it needs."
    ]


@given(action=actions, as_of=days, stale_days=st.integers(0, 400))
def test_every_red_or_amber_reason_asks_something(action: Action, as_of: date, stale_days: int) -> None:
    rating = rate(action, as_of, stale_days=stale_days)
    asks = asks_of_the_board(rating)
    if rating.rating in ("red", "amber"):
        assert len(asks) >= len(rating.reasons)
    elif not rating.flagged:
        assert asks == []


def test_the_report_prints_what_each_exception_asks(cli: RunCli) -> None:
    markdown = cli("report", "--as-of", "2020-10-01", "--format", "markdown").stdout
    assert "| Asked of the board (suggested) |" in markdown
    assert "Agree a revised end month with the lead, or escalate." in markdown
