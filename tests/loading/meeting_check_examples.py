"""PASS and FAIL examples for the meeting and decision cross-checks.

tests/loading/test_checks.py merges them into its EXAMPLES, so the meta-test sees every check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Data = dict[str, Any]
Mutation = Callable[[Data, Data], None]

BOARD = "Community Harm and Exploitation Board"


def meetings(*entries: Data) -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        plan["meetings"] = [dict(e) for e in entries]

    return mutate


PROPOSAL = {"date": "2020-11-01", "status": "in_progress", "note": "Venue closed.", "proposed_end": "2021-06"}
ASK = {"date": "2020-11-02", "status": "in_progress", "note": "No analyst.", "support_asked": "An analyst."}


def log(*entries: Data, listed: tuple[str, ...] = ()) -> Mutation:
    """Action 1's progress log (in progress), and the meetings listed."""

    def mutate(plan: Data, register: Data) -> None:
        plan["actions"][0]["status"] = "in_progress"
        plan["actions"][0]["progress"] = [dict(e) for e in entries]
        if listed:
            plan["meetings"] = [{"date": day, "body": BOARD} for day in listed]

    return mutate


def decided(**fields: Any) -> Data:
    return {"date": "2020-12-01", "status": "in_progress", "note": "Board decision.", **fields}


MEETING_EXAMPLES: dict[str, tuple[Mutation, Mutation]] = {
    "meeting-order": (
        meetings({"date": "2020-07-01", "body": BOARD}, {"date": "2020-10-01", "body": BOARD}),
        meetings({"date": "2020-10-01", "body": BOARD}, {"date": "2020-07-01", "body": BOARD}),
    ),
    "papers-after-meeting": (
        meetings({"date": "2020-10-01", "body": BOARD, "papers_due": "2020-09-24"}),
        meetings({"date": "2020-10-01", "body": BOARD, "papers_due": "2020-10-02"}),
    ),
    "decision-without-subject": (
        log(PROPOSAL, ASK, decided(decision="agreed", revised_end="2021-06"), decided(decision="rejected", ask=1)),
        log(ASK, decided(decision="rejected", ask=2)),
    ),
    "agreed-without-end": (
        log(PROPOSAL, decided(decision="agreed", revised_end="2021-06")),
        log(PROPOSAL, decided(decision="agreed")),
    ),
    "decision-meeting-unknown": (
        log(PROPOSAL, decided(decision="rejected", meeting="2020-12-01"), listed=("2020-12-01",)),
        log(PROPOSAL, decided(decision="rejected", meeting="2020-12-02"), listed=("2020-12-01",)),
    ),
}
