"""`decide` and `update --org` check an entry against one action and the plan around it, and
the write validates the whole plan once: counted here, with what happens when the plan is
not valid or the action is not where the scan looks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cheplan.editing import one_action, record
from cheplan.loading import load
from tests.conftest import MakePlan, RunCli, base_action

PROPOSED = {
    "date": "2020-09-01",
    "status": "in_progress",
    "note": "Recruitment slipped; the lead asks for three more months.",
    "proposed_end": "2021-06",
}
DIRECTORY = [{"id": "csp", "name": "LBS Community Safety & Partnerships"}]


def _whole_plan_validations(monkeypatch: pytest.MonkeyPatch, actions: int) -> list[int]:
    """Counts validations of a text holding all `actions` actions (not the one-action view)."""
    counted: list[int] = []
    real = load.validate_sources

    def counting(*args: Any, **kwargs: Any) -> Any:
        validation = real(*args, **kwargs)
        if validation.plan is not None and len(validation.plan.actions) == actions:
            counted.append(1)
        return validation

    for module in (load, one_action, record):  # each holds its own name for the function
        monkeypatch.setattr(module, "validate_sources", counting)
    return counted


def _plan(make_plan: MakePlan, count: int = 30, **top: Any) -> Path:
    actions = [base_action(n) for n in range(1, count + 1)]
    actions[9]["progress"] = [dict(PROPOSED)]
    return make_plan(actions, **top)


def test_decide_validates_the_whole_plan_once(
    make_plan: MakePlan, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan(make_plan)
    validations = _whole_plan_validations(monkeypatch, 30)
    result = cli("decide", "10", "--agree", "--date", "2020-09-15", "--plan", plan)
    assert result.code == 0, result.stderr
    assert "end revised to 2021-06" in result.stdout
    assert len(validations) == 1  # the plan as written, with the decision
    assert cli("decide", "10", "--agree", "--date", "2020-09-15", "--plan", plan).stdout.endswith(
        "already on record; nothing changed.\n"
    )


def test_update_with_an_organisation_validates_the_whole_plan_once(
    make_plan: MakePlan, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan(make_plan, organisations=DIRECTORY)
    validations = _whole_plan_validations(monkeypatch, 30)
    result = cli(
        "update", "3", "-s", "in_progress", "-n", "Started.", "--date", "2020-06-01", "--org", "csp", "-p", plan
    )
    assert result.code == 0, result.stderr
    assert len(validations) == 1
    assert "organisation: csp" in plan.read_text(encoding="utf-8")


def test_decide_on_a_plan_invalid_elsewhere_writes_nothing_and_lists_its_problems(
    make_plan: MakePlan, cli: RunCli
) -> None:
    plan = _plan(make_plan)
    text = plan.read_text(encoding="utf-8").replace("Action number 20.", "Action number 20.\n  bogus_field: 1", 1)
    plan.write_text(text, encoding="utf-8")
    result = cli("decide", "10", "--agree", "--date", "2020-09-15", "--plan", plan)
    assert result.code == 1, result.stderr
    assert "bogus_field" in result.stderr
    assert plan.read_text(encoding="utf-8") == text


def test_decide_on_an_action_the_plan_does_not_have_names_the_ids_it_has(make_plan: MakePlan, cli: RunCli) -> None:
    plan = _plan(make_plan)
    result = cli("decide", "99", "--agree", "--date", "2020-09-15", "--plan", plan)
    assert result.code == 2
    assert "no action 99" in result.stderr
    assert "1–30" in result.stderr


def test_decide_still_refuses_a_proposal_already_decided_otherwise(make_plan: MakePlan, cli: RunCli) -> None:
    plan = _plan(make_plan)
    assert cli("decide", "10", "--agree", "--date", "2020-09-15", "--plan", plan).code == 0
    again = cli("decide", "10", "--reject", "-n", "No.", "--date", "2020-09-20", "--plan", plan)
    assert again.code == 2
    assert "already decided" in again.stderr


def test_a_plan_with_windows_line_endings_is_read_around_the_action_too(
    make_plan: MakePlan, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan(make_plan)
    plan.write_bytes(plan.read_bytes().replace(b"\n", b"\r\n"))
    validations = _whole_plan_validations(monkeypatch, 30)
    result = cli("decide", "10", "--agree", "--date", "2020-09-15", "--plan", plan)
    assert result.code == 0, result.stderr
    assert len(validations) == 1
    assert b"decision: agreed\r\n" in plan.read_bytes()
