"""PASS and FAIL examples for the organisation, revised-end and RAG cross-checks.

tests/loading/test_checks.py merges them into its EXAMPLES, so the meta-test sees every check.
Each example mutates the base fixture, whose actions are led by "LBS Community Safety & Partnerships".
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

from cheplan.domain import caps

Data = dict[str, Any]
Mutation = Callable[[Data, Data], None]

CSP = {"id": "csp", "name": "LBS Community Safety & Partnerships", "aliases": ["Community Safety"]}
MPS = {"id": "mps", "name": "MPS Southwark", "aliases": ["MPS"]}


def directory(*organisations: Data, leads: list[str] | None = None) -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        plan["organisations"] = [dict(o) for o in organisations]
        if leads is not None:
            plan["actions"][1]["lead"] = leads

    return mutate


def first_progress(**entry: Any) -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        plan["actions"][0]["status"] = entry.get("status", "in_progress")
        plan["actions"][0]["progress"] = [{"date": "2020-12-01", "status": "in_progress", **entry}]

    return mutate


def past_the_share_cap(plan: Data, register: Data) -> None:
    """n organisations and n actions led by "All" (and one each, so that none is unused), n × n
    just past MAX_SHARES: the real cap, in some thousands of values."""
    side = math.isqrt(caps.MAX_SHARES) + 1
    plan["organisations"] = [{"id": f"org{i}", "name": f"Organisation {i}"} for i in range(side)]
    first = plan["actions"][0]
    plan["actions"] = [copy.deepcopy(first) | {"id": i + 1, "lead": ["All", f"org{i}"]} for i in range(side)]


AGREED = "Agreed by the board on 2020-12-01: the venue closed."

ORGANISATION_EXAMPLES: dict[str, tuple[Mutation, Mutation]] = {
    "unknown-lead": (
        # "Community Safety" is an alias; "All" is every partner, not a name.
        directory(CSP, MPS, leads=["Community Safety", "MPS", "All"]),
        directory(CSP, MPS, leads=["Community Safety", "Metropolitan Police"]),
    ),
    "ambiguous-organisation-name": (
        directory(CSP, MPS, leads=["MPS"]),
        directory(CSP, MPS | {"aliases": ["MPS", "community safety"]}, leads=["MPS"]),
    ),
    "reserved-organisation-name": (
        directory(CSP, MPS | {"aliases": ["MPS", "All Saints"]}, leads=["MPS", "All"]),
        directory(CSP, MPS | {"aliases": ["MPS", "all"]}, leads=["MPS", "All"]),
    ),
    "unused-organisation": (
        directory(CSP, MPS, leads=["LBS Community Safety & Partnerships", "MPS Southwark"]),
        directory(CSP, MPS, leads=["All"]),
    ),
    "too-many-shares": (
        directory(CSP, MPS, leads=["MPS", "All"]),
        past_the_share_cap,
    ),
    "judgement-without-note": (
        first_progress(revised_end="2021-06", rag="amber", note=AGREED),
        first_progress(revised_end="2021-06", rag="amber", note="  "),
    ),
    "revised-end-before-start": (
        first_progress(revised_end="2020-04", note=AGREED),
        first_progress(revised_end="2020-03", note=AGREED),
    ),
}
