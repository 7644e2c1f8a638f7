"""The directory's cross-checks beyond their PASS/FAIL examples: messages, positions, partial plans."""

from __future__ import annotations

from typing import Any

import yaml

from cheplan.domain.problems import Problem
from cheplan.loading.load import Source, validate_sources
from tests.conftest import base_action, plan_data

DIRECTORY = [
    {"id": "csp", "name": "LBS Community Safety & Partnerships", "aliases": ["Community Safety"]},
    {"id": "mps", "name": "MPS Southwark", "aliases": ["MPS"]},
]


def problems(actions: list[dict[str, Any]], **top: Any) -> tuple[list[Problem], str]:
    text = yaml.safe_dump(plan_data(actions, **top), sort_keys=False, allow_unicode=True)
    return validate_sources(Source(text, "plan.yaml"), []).problems, text


def line_of(text: str, needle: str, after: int = 0) -> int:
    lines = text.splitlines()
    return next(n for n in range(after, len(lines)) if needle in lines[n]) + 1


def test_an_unknown_lead_is_reported_at_the_lead_with_a_suggestion() -> None:
    found, text = problems(
        [base_action(1), base_action(2, lead=["MPS Southwarc", "Community Safety"])], organisations=DIRECTORY
    )
    [problem] = [p for p in found if p.code == "unknown-lead"]
    assert problem.is_error
    assert problem.line == line_of(text, "- MPS Southwarc")
    assert "action 2: lead 'MPS Southwarc' is no organisation in the directory" in problem.message
    assert "did you mean 'MPS Southwark'?" in problem.message


def test_without_a_directory_every_lead_is_its_own_organisation() -> None:
    found, _ = problems([base_action(1, lead=["Anyone at all"])])
    assert found == []


def test_a_name_claimed_twice_is_reported_on_the_second_claim() -> None:
    second = {"id": "police", "name": "Police", "aliases": ["mps"]}
    found, text = problems(
        [base_action(1, lead=["MPS", "Police", "Community Safety"])], organisations=[*DIRECTORY, second]
    )
    [problem] = [p for p in found if p.code == "ambiguous-organisation-name"]
    assert problem.line == line_of(text, "- mps")
    assert "'mps' is claimed by organisations 'mps' and 'police'" in problem.message


def test_one_organisation_may_repeat_its_own_name_as_an_alias() -> None:
    own = [{"id": "nps", "name": "National Probation Service", "aliases": ["NPS"]}]
    assert problems([base_action(1, lead=["NPS"])], organisations=own)[0] == []


def test_an_unused_organisation_is_a_warning_and_all_does_not_use_it() -> None:
    found, _ = problems([base_action(1, lead=["Community Safety", "All"])], organisations=DIRECTORY)
    assert [(p.code, p.severity) for p in found] == [("unused-organisation", "warning")]
    assert "organisation 'mps' leads no action" in found[0].message


def test_unused_is_not_guessed_while_an_action_fails_the_schema() -> None:
    broken = base_action(2, lead=["MPS"], end="2021-13")
    found, _ = problems([base_action(1, lead=["Community Safety"]), broken], organisations=DIRECTORY)
    assert "unused-organisation" not in {p.code for p in found}


def test_revised_end_and_rag_each_need_their_note() -> None:
    entry = {"date": "2020-12-01", "status": "in_progress", "revised_end": "2021-06", "rag": "red"}
    found, _ = problems([base_action(1, status="in_progress", progress=[entry])])
    messages = sorted(p.message for p in found if p.code == "judgement-without-note")
    assert messages == [
        "action 1: the red rating of 2020-12-01 has no note giving the reason",
        "action 1: the revised end 2021-06 of 2020-12-01 has no note; say who agreed it, when and why",
    ]


def test_a_revised_end_before_the_start_names_both_months() -> None:
    entry = {"date": "2020-12-01", "status": "in_progress", "revised_end": "2019-01", "note": "Agreed."}
    found, _ = problems([base_action(1, status="in_progress", progress=[entry])])
    [problem] = [p for p in found if p.code == "revised-end-before-start"]
    assert problem.message == "action 1: revised end 2019-01 is before the action starts (2020-04)"


def test_an_organisation_named_all_is_an_error_at_its_line() -> None:
    everyone = {"id": "all", "name": "All partners", "aliases": ["ALL "]}
    found, text = problems(
        [base_action(1, lead=["All", "MPS", "Community Safety"])], organisations=[*DIRECTORY, everyone]
    )
    reserved = [p for p in found if p.code == "reserved-organisation-name"]
    assert [(p.line, p.is_error) for p in reserved] == [
        (line_of(text, "id: all"), True),
        (line_of(text, "- 'ALL '"), True),
    ]
    assert "'all' is reserved: a lead of 'All' means every organisation" in reserved[0].message
    assert "unused-organisation" not in {p.code for p in found}  # "All" in a lead is every partner, not this one
