"""Indicators for tests: a valid one to build on, and PASS/FAIL examples for each indicator check.

tests/loading/test_checks.py merges INDICATOR_EXAMPLES into its EXAMPLES, so the meta-test sees
every check.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Data = dict[str, Any]
Mutation = Callable[[Data, Data], None]

INDICATOR: Data = {
    "id": "engagement",
    "title": "Young people in a youth programme",
    "unit": "percent",
    "better": "up",
    "baseline": {"value": 20, "period": "2020-Q1"},
    "target": {"value": 40, "by": "2021-Q1"},
    "owner": "csp",
    "source": "Youth service records",
    "actions": [1],
    "recommendations": ["SELR-1"],
}
DIRECTORY = [{"id": "csp", "name": "LBS Community Safety & Partnerships"}]


def indicator(**fields: Any) -> Data:
    found = copy.deepcopy(INDICATOR)
    found.update(fields)
    return found


def with_indicators(*indicators: Data) -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        plan["organisations"] = copy.deepcopy(DIRECTORY)
        plan["indicators"] = [copy.deepcopy(i) for i in indicators]

    return mutate


def values(*entries: Data) -> Mutation:
    return with_indicators(indicator(values=list(entries)))


INDICATOR_EXAMPLES: dict[str, tuple[Mutation, Mutation]] = {
    "duplicate-indicator-id": (
        with_indicators(indicator(), indicator(id="other")),
        with_indicators(indicator(), indicator()),
    ),
    "target-before-baseline": (
        with_indicators(indicator(target={"value": 40, "by": "2020-Q2"})),
        with_indicators(indicator(target={"value": 40, "by": "2020-Q1"})),
    ),
    "indicator-value-out-of-range": (
        values({"period": "2020-Q2", "value": 100}),
        values({"period": "2020-Q2", "value": 100.5}),
    ),
    "indicator-value-period": (
        values({"period": "2020-Q2", "value": 21}),
        values({"period": "2020-05", "value": 21}),
    ),
    "indicator-correction": (
        values({"period": "2020-Q2", "value": 21}, {"corrects": "2020-Q2", "value": 22, "note": "Late returns."}),
        values({"period": "2020-Q2", "value": 21}, {"period": "2020-Q2", "value": 22}),
    ),
    "indicator-unknown-link": (
        with_indicators(indicator()),
        with_indicators(indicator(owner="mps")),
    ),
}
