"""PASS and FAIL examples for the checks of `init`'s guesses and `rollover`'s open ends.

tests/loading/test_checks.py merges them into its EXAMPLES, so the meta-test sees every check.
"""

from __future__ import annotations

from typing import Any

from tests.loading.organisation_check_examples import CSP, Mutation

Data = dict[str, Any]
GUESS = {
    "field": "aliases",
    "printed": "Community Safety",
    "corrected": "LBS Community Safety & Partnerships",
    "note": "grouped by similarity with 'LBS Community Safety & Partnerships': please confirm",
}
CARRIED = {"plan": "2019/20", "action": 1, "status": "in_progress", "baseline_end": "2020-03"}


def guess(*, confirmed: bool) -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        plan["organisations"] = [CSP | {"source_notes": [GUESS | ({"confirmed": True} if confirmed else {})]}]
        plan["actions"][1]["lead"] = ["Community Safety"]

    return mutate


def carried(*, agreed: bool) -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        plan["actions"][0]["carried_from"] = CARRIED | {"end_agreed": agreed}

    return mutate


HANDOVER_EXAMPLES: dict[str, tuple[Mutation, Mutation]] = {
    "unconfirmed-guess": (guess(confirmed=True), guess(confirmed=False)),
    "end-to-be-agreed": (carried(agreed=True), carried(agreed=False)),
}
