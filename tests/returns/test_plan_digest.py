"""The plan digest in each workbook's signed identity: built without asdict (for speed), it must
stay the digest asdict gave, or every workbook already sent would read as from another plan."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from cheplan.domain.model import Plan
from cheplan.domain.rounds import ReturnsRound
from cheplan.loading.load import load_plan
from cheplan.questions.plan_digest import plan_digest
from tests.board_plan import hostile_plan, shipped_with_progress
from tests.board_scenario import first_meeting_plan, record_quarter
from tests.conftest import SHIPPED_PLAN
from tests.indicators.sheets import example_with_values
from tests.returns.round_plan import plan_with_contacts


def digest_by_asdict(plan: Plan) -> str:
    """The digest as first written (dataclasses.asdict), kept here as the reference."""
    data = asdict(plan)
    data.pop("rounds", None)
    for organisation in data.get("organisations") or []:
        organisation.pop("contacts", None)
    text = json.dumps(data, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _plans(tmp_path: Path) -> dict[str, Path]:
    quarter = first_meeting_plan(tmp_path)
    record_quarter(quarter)
    return {
        "shipped": SHIPPED_PLAN,
        "progress": shipped_with_progress(tmp_path),
        "hostile": hostile_plan(tmp_path),
        "quarter": quarter,
        "contacts": plan_with_contacts(tmp_path),
        "indicators": example_with_values(tmp_path),
    }


@pytest.mark.parametrize("name", ["shipped", "progress", "hostile", "quarter", "contacts", "indicators"])
def test_the_digest_is_the_one_asdict_gave(tmp_path: Path, name: str) -> None:
    plan = load_plan(_plans(tmp_path)[name], []).plan
    assert plan_digest(plan) == digest_by_asdict(plan)


def test_rounds_and_contacts_are_not_digested_and_everything_else_is(tmp_path: Path) -> None:
    plan = load_plan(plan_with_contacts(tmp_path), []).plan
    without_contacts = replace(plan, organisations=[replace(o, contacts=[]) for o in plan.organisations])
    assert plan_digest(without_contacts) == plan_digest(plan)
    a_round = ReturnsRound(id="2020-Q3", as_of="2020-09-01", deadline="2020-09-30")
    assert plan_digest(replace(plan, rounds=[a_round])) == plan_digest(plan)
    retitled = replace(plan, actions=[replace(plan.actions[0], action="Another text"), *plan.actions[1:]])
    assert plan_digest(retitled) != plan_digest(plan)
