"""Every cross-check with a PASS and a FAIL example (yamllint style).

A check added to cheplan.loading.checks without examples here fails `test_every_check_has_examples`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import yaml

from cheplan.loading.checks import CHECKS
from cheplan.loading.load import Source, validate_sources
from tests.conftest import base_action, plan_data
from tests.indicators.examples import INDICATOR_EXAMPLES
from tests.loading.handover_check_examples import HANDOVER_EXAMPLES
from tests.loading.meeting_check_examples import MEETING_EXAMPLES
from tests.loading.organisation_check_examples import ORGANISATION_EXAMPLES
from tests.loading.round_check_examples import ROUND_EXAMPLES

Data = dict[str, Any]
TODAY = date(2021, 4, 1)
Mutation = Callable[[Data, Data], None]

REGISTER: Data = {
    "schema_version": 1,
    "source": {"code": "SELR", "title": "Test review"},
    "sections": [{"id": "governance", "title": "Governance"}],
    "recommendations": [
        {"id": "SELR-1", "section": "governance", "number": 1, "title": "One", "text": "Do one."},
        {"id": "SELR-2", "section": "governance", "number": 2, "title": "Two", "text": "Do two."},
    ],
}


def run(mutate: Mutation) -> list[tuple[str, str, int]]:
    plan = plan_data([base_action(1), base_action(2, recommendations=["SELR-2", "JSNA-1.7"])])
    register = copy.deepcopy(REGISTER)
    mutate(plan, register)
    validation = validate_sources(
        Source(yaml.safe_dump(plan, sort_keys=False), "plan.yaml"),
        [Source(yaml.safe_dump(register, sort_keys=False), "register.yaml")],
        today=TODAY,
    )
    return [(p.code, p.severity, p.line) for p in validation.problems]


def action(plan: Data, index: int) -> Data:
    result: Data = plan["actions"][index]
    return result


def nothing(plan: Data, register: Data) -> None:
    """The base fixture is valid."""


def set_in(path: str, value: Any) -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        target: Any = {"plan": plan, "register": register}
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return mutate


def progress(*entries: tuple[str, str, str]) -> list[Data]:
    return [{"date": d, "status": s, "note": n} for d, s, n in entries]


def both(*mutations: Mutation) -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        for m in mutations:
            m(plan, register)

    return mutate


def add_register_entry(entry: Data) -> Mutation:
    def mutate(plan: Data, register: Data) -> None:
        register["recommendations"].append(entry)

    return mutate


EXAMPLES: dict[str, tuple[Mutation, Mutation]] = {
    "duplicate-action-id": (set_in("plan.actions.1.id", 3), set_in("plan.actions.1.id", 1)),
    "duplicate-theme-id": (set_in("plan.themes.1.id", "other"), set_in("plan.themes.1.id", "governance")),
    "unknown-theme": (set_in("plan.actions.0.theme", "enforcement"), set_in("plan.actions.0.theme", "governence")),
    "start-after-end": (set_in("plan.actions.0.end", "2020-04"), set_in("plan.actions.0.end", "2020-03")),
    "plan-period-inverted": (
        set_in("plan.plan.period.end", "2020-04"),
        set_in("plan.plan.period.end", "2020-03"),
    ),
    "duplicate-source-code": (
        set_in("plan.plan.recommendation_key.3.code", "OTHER"),
        set_in("plan.plan.recommendation_key.3.code", "SELR"),
    ),
    "unknown-source": (
        set_in("plan.actions.0.recommendations", ["SSYVP-8"]),
        set_in("plan.actions.0.recommendations", ["SSVVP-8"]),
    ),
    "unknown-recommendation": (
        set_in("plan.actions.0.recommendations", ["SELR-2"]),
        set_in("plan.actions.0.recommendations", ["SELR-16"]),
    ),
    "duplicate-reference": (
        set_in("plan.actions.0.recommendations", ["SELR-1", "SELR-2"]),
        set_in("plan.actions.0.recommendations", ["SELR-1", "SELR-1"]),
    ),
    "outside-plan-period": (
        # The same dates, acknowledged by a source note: the source printed them so.
        both(
            set_in("plan.actions.0.start", "2020-01"),
            set_in("plan.actions.0.end", "2020-03"),
            set_in("plan.actions.0.source_notes", [{"field": "end", "printed": "Mar-20", "note": "Printed so."}]),
        ),
        both(set_in("plan.actions.0.start", "2020-01"), set_in("plan.actions.0.end", "2020-03")),
    ),
    "status-mismatch": (
        both(
            set_in("plan.actions.0.status", "in_progress"),
            set_in("plan.actions.0.progress", progress(("2020-05-01", "in_progress", "Started."))),
        ),
        set_in("plan.actions.0.progress", progress(("2020-05-01", "in_progress", "Started."))),
    ),
    "progress-order": (
        both(
            set_in("plan.actions.0.status", "complete"),
            set_in(
                "plan.actions.0.progress",
                progress(("2020-05-01", "in_progress", "a"), ("2020-06-01", "complete", "b")),
            ),
        ),
        both(
            set_in("plan.actions.0.status", "in_progress"),
            set_in(
                "plan.actions.0.progress",
                progress(("2020-06-01", "complete", "b"), ("2020-05-01", "in_progress", "a")),
            ),
        ),
    ),
    "dropped-without-reason": (
        both(
            set_in("plan.actions.0.status", "dropped"),
            set_in("plan.actions.0.progress", progress(("2020-05-01", "dropped", "Merged into action 2."))),
        ),
        both(
            set_in("plan.actions.0.status", "dropped"),
            set_in("plan.actions.0.progress", progress(("2020-05-01", "dropped", ""))),
        ),
    ),
    "finished-status-undated": (
        both(
            set_in("plan.actions.0.status", "complete"),
            set_in("plan.actions.0.progress", progress(("2020-05-01", "complete", "Done."))),
        ),
        set_in("plan.actions.0.status", "complete"),
    ),
    "progress-in-future": (
        both(
            set_in("plan.actions.0.status", "in_progress"),
            set_in("plan.actions.0.progress", progress(("2021-04-01", "in_progress", "Started today."))),
        ),
        both(
            set_in("plan.actions.0.status", "in_progress"),
            set_in("plan.actions.0.progress", progress(("2021-04-02", "in_progress", "Tomorrow?"))),
        ),
    ),
    "duplicate-recommendation-id": (
        add_register_entry({"id": "SELR-3", "section": "governance", "title": "Three", "text": "Three."}),
        add_register_entry({"id": "SELR-2", "section": "governance", "title": "Again", "text": "Again."}),
    ),
    "register-id-source": (
        add_register_entry({"id": "SELR-P1", "section": "governance", "title": "P", "text": "P."}),
        add_register_entry({"id": "JSNA-1.1", "section": "governance", "title": "J", "text": "J."}),
    ),
    "unknown-section": (
        set_in("register.recommendations.0.section", "governance"),
        set_in("register.recommendations.0.section", "governanse"),
    ),
}

EXAMPLES |= ORGANISATION_EXAMPLES | ROUND_EXAMPLES
EXAMPLES |= HANDOVER_EXAMPLES
EXAMPLES |= INDICATOR_EXAMPLES
EXAMPLES |= MEETING_EXAMPLES


def test_every_check_has_examples() -> None:
    assert sorted(c.code for c in CHECKS if c.code != "duplicate-register") == sorted(EXAMPLES)


def test_the_base_fixture_is_clean() -> None:
    assert run(nothing) == []


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_check_passes_on_its_pass_example(code: str) -> None:
    found = [c for c, _, _ in run(EXAMPLES[code][0])]
    assert code not in found
    assert found == []


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_check_fails_on_its_fail_example(code: str) -> None:
    found = run(EXAMPLES[code][1])
    matching = [entry for entry in found if entry[0] == code]
    assert matching, found
    severity = next(c.severity for c in CHECKS if c.code == code)
    assert all(s == severity for _, s, _ in matching)
    assert all(line > 1 for _, _, line in matching)  # points into the file, not at its top


def test_duplicate_register_is_reported_on_the_second_file() -> None:
    plan = yaml.safe_dump(plan_data())
    register = yaml.safe_dump(REGISTER)
    validation = validate_sources(Source(plan, "plan.yaml"), [Source(register, "a.yaml"), Source(register, "b.yaml")])
    problems = [(p.file, p.code) for p in validation.problems]
    assert ("b.yaml", "duplicate-register") in problems
    assert ("a.yaml", "duplicate-register") not in problems


def test_cross_checks_still_run_when_another_action_fails_the_schema() -> None:
    plan = plan_data(
        [
            base_action(1, end="2021-13"),  # schema error
            base_action(2, theme="nowhere"),  # cross-check error
            base_action(2),  # duplicate id
        ]
    )
    validation = validate_sources(Source(yaml.safe_dump(plan, sort_keys=False), "p.yaml"), [])
    assert {p.code for p in validation.problems} == {"schema-format", "unknown-theme", "duplicate-action-id"}
    lines = [p.line for p in validation.problems]
    assert lines == sorted(lines)


def test_duplicate_id_message_names_the_first_line() -> None:
    plan = plan_data([base_action(7), base_action(7)])
    text = yaml.safe_dump(plan, sort_keys=False)
    [problem] = validate_sources(Source(text, "p.yaml"), []).problems
    first_line = text.splitlines().index("- id: 7") + 1
    assert f"first at line {first_line}" in problem.message
    assert problem.line > first_line
