"""Printed leads resolved to organisations: the directory, owners, and what --lead picks."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cheplan.domain.errors import UsageError
from cheplan.domain.model import Organisation, Plan
from cheplan.questions.actions import filter_actions, lead_filter, overdue
from cheplan.questions.organisations import (
    actions_of,
    directory_of,
    find_organisations,
    organisations_of,
    require_organisations,
)
from tests.questions.test_actions import make_action, make_plan

ORGANISATIONS = [
    Organisation(id="csp", name="LBS Community Safety & Partnerships", aliases=["Community Safety"]),
    Organisation(id="mps", name="MPS Southwark", aliases=["MPS"]),
    Organisation(id="health", name="LBS Public Health", aliases=["Public Health"]),
]


def with_directory(plan: Plan) -> Plan:
    return dataclasses.replace(plan, organisations=list(ORGANISATIONS))


PLAN = with_directory(
    make_plan(
        make_action(1, lead=["Community Safety", "MPS"]),
        make_action(2, lead=["LBS Public Health"]),
        make_action(3, lead=["All"]),
        make_action(4, lead=["MPS Southwark", "MPS"]),
    )
)


def test_owners_resolve_every_printed_form_and_all_means_every_organisation() -> None:
    directory = directory_of(PLAN)
    assert [organisations_of(directory, a) for a in PLAN.actions] == [
        ["csp", "mps"],
        ["health"],
        ["csp", "mps", "health"],
        ["mps"],
    ]
    assert [a.id for a in actions_of(PLAN, directory, "mps")] == [1, 3, 4]


@pytest.mark.parametrize("text", ["mps", "MPS Southwark", "  mps   southwark ", "MPS"])
def test_an_id_name_or_alias_picks_exactly_that_organisation(text: str) -> None:
    assert [o.id for o in find_organisations(directory_of(PLAN), text)] == ["mps"]


def test_part_of_a_name_picks_every_organisation_containing_it() -> None:
    assert [o.id for o in find_organisations(directory_of(PLAN), "LBS")] == ["csp", "health"]


def test_a_lead_naming_no_organisation_is_a_usage_error_with_a_suggestion() -> None:
    with pytest.raises(UsageError, match=r"matches no lead organisation \(did you mean 'Public Health'\?\)"):
        require_organisations(directory_of(PLAN), "Pubic Helth")
    with pytest.raises(UsageError, match="cheplan organisations"):
        filter_actions(PLAN, lead="Metropolitan Police")


def test_the_filter_lists_all_actions_under_the_organisation_picked() -> None:
    rows = overdue(PLAN, date(2020, 10, 1), lead="Community Safety")
    assert [(r.action.id, r.matched_leads, r.organisations) for r in rows] == [
        (1, ("Community Safety",), ("csp",)),
        (3, ("All",), ("csp",)),
    ]


def test_without_a_filter_rows_carry_every_owner() -> None:
    rows = overdue(PLAN, date(2020, 10, 1))
    assert [r.organisations for r in rows] == [("csp", "mps"), ("health",), ("csp", "mps", "health"), ("mps",)]


def test_printed_leads_are_the_last_resort() -> None:
    # "All" names no organisation, but it is a printed lead.
    assert [a.id for a in filter_actions(PLAN, lead="all")] == [3]
    assert lead_filter(PLAN, "all").ids == frozenset()


def test_a_plan_without_a_directory_has_one_organisation_per_printed_lead() -> None:
    plan = make_plan(make_action(1, lead=["MPS", "LBS Public Health"]), make_action(2, lead=["All"]))
    directory = directory_of(plan)
    assert [(o.id, o.name) for o in directory.organisations] == [
        ("mps", "MPS"),
        ("lbs-public-health", "LBS Public Health"),
    ]
    assert organisations_of(directory, plan.actions[1]) == ["mps", "lbs-public-health"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"theme": "governence"}, "--theme 'governence' matches no theme (did you mean 'governance'?)"),
        ({"theme": "xyz"}, "--theme 'xyz' matches no theme (expected one of: governance, enforcement)"),
        ({"status": ["complet"]}, "--status 'complet' is not a status (did you mean 'complete'?)"),
    ],
)
def test_theme_and_status_filters_that_name_nothing_are_usage_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError) as raised:
        filter_actions(PLAN, **options)  # type: ignore[arg-type]
    assert str(raised.value) == message


def test_a_known_status_with_no_actions_is_an_empty_answer() -> None:
    assert filter_actions(PLAN, status=["complete"]) == []


@given(st.sampled_from([n for o in ORGANISATIONS for n in (o.id, o.name, *o.aliases)]), st.booleans())
def test_any_name_in_any_case_finds_the_organisation_that_claims_it(name: str, upper: bool) -> None:
    text = name.upper() if upper else name.lower()
    [found] = find_organisations(directory_of(PLAN), text)
    assert name in (found.id, found.name, *found.aliases)


def test_a_directory_built_by_hand_still_finds_its_organisations() -> None:
    from cheplan.questions.organisations import Directory

    directory = Directory(tuple(ORGANISATIONS), {"mps": "mps"})
    assert directory.get("health") == ORGANISATIONS[2]
    assert organisations_of(directory, PLAN.actions[2]) == ["csp", "mps", "health"]


def test_leads_whose_ids_would_collide_stay_separate_organisations_without_a_directory() -> None:
    # Both slug to "organisation" (and "A&B" / "A B" both to "a-b"): merged, one partner's returns
    # workbook held the other's actions, and its import let it report on them.
    plan = make_plan(
        make_action(1, lead=["Полиция"]),
        make_action(2, lead=["警察"]),
        make_action(3, lead=["A&B"]),
        make_action(4, lead=["A B"]),
        make_action(5, lead=["a&b"]),
    )
    directory = directory_of(plan)
    owner = {action.id: organisations_of(directory, action) for action in plan.actions}
    assert owner[1] != owner[2]
    assert owner[3] != owner[4]
    assert [a.id for a in actions_of(plan, directory, owner[1][0])] == [1]
    assert [a.id for a in actions_of(plan, directory, owner[2][0])] == [2]
