"""MAX_SHARES: actions counted once per organisation that owns them ("All": once per organisation
of the directory), checked by `validate` (`too-many-shares`) so that no command meets a plan past it.

The count is the one the questions make (`organisations_of`), found in one pass over the actions
without making a list of owners for "All": pinned by counting, never by timing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cheplan.domain import caps
from cheplan.loading import organisation_checks
from cheplan.loading.checks import CHECKS, CheckContext
from cheplan.loading.load import Source, load_plan, validate_sources
from cheplan.loading.organisation_checks import running_shares
from cheplan.loading.safe_yaml import parse_yaml
from cheplan.questions.organisations import directory_of, organisations_of
from tests.conftest import SHIPPED_PLAN, RunCli, base_action, count_calls, plan_data

CODE = "too-many-shares"
DIRECTORY = [
    {"id": "csp", "name": "LBS Community Safety & Partnerships", "aliases": ["Community Safety"]},
    {"id": "mps", "name": "MPS Southwark", "aliases": ["MPS"]},
    {"id": "nps", "name": "National Probation Service"},
]
PRINTED = ["All", "MPS", "mps southwark", "Community Safety", "National Probation Service", "Nobody"]


def shares_in_questions(text: str) -> int:
    """The pairs the questions see: each action's owners, as every listing counts them."""
    plan = validate_sources(Source(text, "plan.yaml"), []).plan
    assert plan is not None
    directory = directory_of(plan)
    return sum(len(organisations_of(directory, action)) for action in plan.actions)


def problems_at(text: str, cap: int, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    monkeypatch.setattr(caps, "MAX_SHARES", cap)
    return [p for p in validate_sources(Source(text, "plan.yaml"), []).problems if p.code == CODE]


@settings(max_examples=40, deadline=None)
@given(
    leads=st.lists(st.lists(st.sampled_from(PRINTED), min_size=1, max_size=4), min_size=1, max_size=8),
    with_directory=st.booleans(),
)
def test_the_check_counts_what_the_questions_count(leads: list[list[str]], with_directory: bool) -> None:
    """Just at the count the plan passes; one under it, the check fires and says the count."""
    actions = [base_action(i + 1, lead=printed) for i, printed in enumerate(leads)]
    data = plan_data(actions, **({"organisations": DIRECTORY} if with_directory else {}))
    text = yaml.safe_dump(data, sort_keys=False)
    expected = shares_in_questions(text)
    with pytest.MonkeyPatch.context() as patch:
        assert problems_at(text, expected, patch) == []
        if expected:
            [problem] = problems_at(text, expected - 1, patch)
            assert f"{expected:,} times" in problem.message


def test_all_adds_the_directory_size_without_a_list() -> None:
    """A billion organisations and a thousand actions led by "All": a trillion pairs, counted at
    once (a list of owners per action could not be made); the same leads are resolved once."""
    resolved: list[str] = []

    def owner(lead: str) -> str | None:
        resolved.append(lead)
        return lead

    leads = [["All"], ["A", "B"], ["A", "B"], ["A", "All"]] * 250
    totals = list(running_shares(leads, owner, 10**9))
    assert totals[-1] == 250 * (2 * 10**9 + 4)
    assert totals[:4] == [10**9, 10**9 + 2, 10**9 + 4, 2 * 10**9 + 4]
    assert resolved == ["A", "B"]  # one distinct list of leads without "All": resolved once


def test_validation_resolves_each_printed_list_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """400 organisations, 2,000 actions led by "All" or one organisation: the check's name lookups
    grow with the directory's names and the distinct leads, not with actions × organisations."""
    organisations = [{"id": f"org{i}", "name": f"Organisation {i}"} for i in range(400)]
    actions = [base_action(i + 1, lead=["All"] if i % 2 else [f"Organisation {i % 400}"]) for i in range(2_000)]
    text = yaml.safe_dump(plan_data(actions, organisations=organisations), sort_keys=False)
    document = parse_yaml(text, "plan.yaml")
    plan = validate_sources(Source(text, "plan.yaml"), []).plan
    assert plan is not None
    check = next(c for c in CHECKS if c.code == CODE)
    calls = count_calls(monkeypatch, organisation_checks, "name_key")
    assert list(check.function(CheckContext.for_plan(plan, document))) == []
    assert len(calls) <= 2 * 400 + 200  # each organisation's names, each distinct lead once


@pytest.fixture
def shipped_over_the_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    """The shipped plan, with MAX_SHARES one under its count of pairs."""
    count = shares_in_questions(SHIPPED_PLAN.read_text(encoding="utf-8"))
    monkeypatch.setattr(caps, "MAX_SHARES", count - 1)
    return count


def test_validate_reports_one_error_at_the_action_past_the_cap(cli: RunCli, shipped_over_the_cap: int) -> None:
    result = cli("validate", "-f", "json")
    assert result.code == 1
    found = [p for p in json.loads(result.stdout) if p["code"] == CODE]
    assert len(found) == 1
    [problem] = found
    assert problem["severity"] == "error"
    assert f"{shipped_over_the_cap:,} times" in problem["message"]
    assert f"over the cap of {shipped_over_the_cap - 1:,}" in problem["message"]
    assert "2 actions led by 'All' belong to each of the 15 organisations" in problem["message"]
    lines = SHIPPED_PLAN.read_text(encoding="utf-8").splitlines()
    leads = [number for number, line in enumerate(lines, 1) if line.strip() == "lead:"]
    assert problem["line"] == leads[-1]  # the last action's `lead:`: its pair passes the cap


@pytest.mark.parametrize(
    "command",
    [("actions", "-f", "json"), ("overdue",), ("organisations", "-f", "json"), ("trace", "-f", "json")],
)
def test_every_command_refuses_the_plan(cli: RunCli, shipped_over_the_cap: int, command: tuple[str, ...]) -> None:
    """Refused as invalid (exit 1, the problem shown), `trace` too, which answers despite other problems."""
    result = cli(*command, "--as-of", "2021-01-15")
    assert result.code == 1
    assert result.stdout == ""
    assert CODE in result.stderr
    assert "the plan is not valid" in result.stderr


def test_at_the_cap_the_plan_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    count = shares_in_questions(SHIPPED_PLAN.read_text(encoding="utf-8"))
    monkeypatch.setattr(caps, "MAX_SHARES", count)
    assert load_plan(Path(SHIPPED_PLAN), []).plan.actions


def test_a_regional_plan_is_under_the_cap() -> None:
    """A regional unit's plan, 10,000 actions and up to 50 organisations, passes even were every
    action led by "All"."""
    assert caps.MAX_SHARES >= 10_000 * 50


def test_stale_finds_each_shared_actions_organisations_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`stale -f json` writes a row for each organisation's share of an action led by "All": the
    action's organisations are found once for all its rows, not once a row."""
    from datetime import date

    from cheplan.outputs import rag_listings
    from cheplan.questions.stale import stale

    organisations = [{"id": f"org{i}", "name": f"Organisation {i}"} for i in range(5)]
    actions = [base_action(i + 1, lead=["All"], start="2020-04", end="2020-06") for i in range(3)]
    text = yaml.safe_dump(plan_data(actions, organisations=organisations), sort_keys=False)
    plan = validate_sources(Source(text, "plan.yaml"), []).plan
    assert plan is not None
    found = stale(plan, date(2021, 1, 15))
    calls = count_calls(monkeypatch, rag_listings, "organisations_of")
    data = rag_listings.stale_json(found, directory_of(plan))
    assert len(data["never_reported"]) == 3 * 5
    assert all(len(row["organisations"]) == 5 for row in data["never_reported"])
    assert len(calls) == 3


def test_trace_validates_a_failing_plan_once(
    cli: RunCli, shipped_over_the_cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`trace` answers despite a plan's problems, or refuses one past a cap: either way the plan
    is validated once (twice took 11 s on 100,000 actions)."""
    from cheplan.loading import load

    validations = count_calls(monkeypatch, load, "validate_sources")
    result = cli("trace", "--as-of", "2021-01-15")
    assert result.code == 1
    assert len(validations) == 1
