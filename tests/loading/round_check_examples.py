"""PASS and FAIL examples for the contact and returns-round cross-checks (merged into
tests/loading/test_checks.py's EXAMPLES, so the meta-test sees every check)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Data = dict[str, Any]
Mutation = Callable[[Data, Data], None]

ANN = {"name": "Ann Example", "email": "ann@partner.example.org", "primary": True}
BEN = {"name": "Ben Example", "email": "ben@partner.example.org"}


def contacts(*people: Data) -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        plan["organisations"] = [
            {"id": "csp", "name": "LBS Community Safety & Partnerships", "contacts": [dict(p) for p in people]}
        ]

    return mutate


def rounds(*ids: str, organisation: str = "csp") -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        contacts(ANN)(plan, register)
        message = {
            "organisation": organisation,
            "kind": "send",
            "to": ["ann@partner.example.org"],
            "message_id": "<1@cheplan.example.org>",
            "sent": "2020-10-01T09:00:00Z",
        }
        plan["rounds"] = [
            {"id": i, "as_of": "2020-09-30", "deadline": "2020-10-21", "messages": [message]} for i in ids
        ]

    return mutate


def meeting(listed: str, fed: str) -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        rounds("2020-Q3")(plan, register)
        plan["meetings"] = [{"date": listed, "body": "Partnership Board"}]
        plan["rounds"][0]["meeting"] = fed

    return mutate


ROUND_EXAMPLES: dict[str, tuple[Mutation, Mutation]] = {
    "several-primary-contacts": (contacts(ANN, BEN), contacts(ANN, BEN | {"primary": True})),
    "duplicate-round": (rounds("2020-Q3", "2020-Q4"), rounds("2020-Q3", "2020-Q3")),
    "unknown-round-organisation": (rounds("2020-Q3"), rounds("2020-Q3", organisation="mps")),
    "unknown-round-meeting": (meeting("2020-11-04", "2020-11-04"), meeting("2020-11-04", "2020-11-05")),
}
