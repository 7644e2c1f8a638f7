"""`organisations` counts each organisation's actions, overdue ones and unreported ones, each by
its own share: judged once per action for every organisation that made no entry of its own."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cheplan.domain.model import Action
from cheplan.loading.load import load_plan
from cheplan.questions import organisation_counts, shares
from cheplan.questions.organisation_counts import owed_by_organisation
from cheplan.questions.organisations import Directory, directory_of, organisations_of
from cheplan.questions.shares import share_of, share_overdue
from tests.conftest import base_action, count_calls, plan_data

DIRECTORY = [
    {"id": "mps", "name": "MPS Southwark"},
    {"id": "health", "name": "LBS Public Health"},
    {"id": "nps", "name": "NPS"},
    {"id": "csp", "name": "LBS Community Safety & Partnerships"},
]
IDS = [o["id"] for o in DIRECTORY]
LEADS = [["All"], ["MPS Southwark"], ["NPS", "LBS Public Health"], ["LBS Community Safety & Partnerships", "All"]]
AS_OF = date(2020, 10, 1)

entries = st.lists(
    st.tuples(
        st.sampled_from([None, *IDS]),
        st.sampled_from(["in_progress", "complete", "not_reported", "dropped"]),
        st.sampled_from(["2020-05-01", "2020-08-15", "2020-09-30", "2020-12-01"]),
    ),
    max_size=4,
)
actions = st.lists(st.tuples(st.sampled_from(range(len(LEADS))), st.sampled_from(["2020-06", "2021-03"]), entries))


def _load(actions: list[dict[str, Any]]) -> tuple[Directory, list[Action]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.yaml"
        path.write_text(yaml.safe_dump(plan_data(actions, organisations=DIRECTORY), sort_keys=False))
        plan = load_plan(path, []).plan
    return directory_of(plan), plan.actions


def _plan(drawn: list[tuple[int, str, list[tuple[str | None, str, str]]]]) -> list[dict[str, Any]]:
    made = []
    for number, (lead, end, log) in enumerate(drawn, start=1):
        progress = [
            {"date": day, "status": status, "note": "N.", **({"organisation": who} if who else {})}
            for who, status, day in sorted(log, key=lambda entry: entry[2])
        ]
        made.append(base_action(number, lead=LEADS[lead], end=end, **({"progress": progress} if progress else {})))
    return made


def _pair_by_pair(directory: Directory, plan_actions: list[Action]) -> dict[str, tuple[int, int, int]]:
    """Every (organisation, action it owns) share judged on its own: what the counts must equal."""
    owned: dict[str, list[tuple[Action, bool]]] = {o.id: [] for o in directory.organisations}
    for action in plan_actions:
        owners = organisations_of(directory, action)
        for owner in owners:
            owned[owner].append((action, len(owners) > 1))
    counts = {}
    for owner, pairs in owned.items():
        judged = [(a, share_of(a, owner, AS_OF, shared=shared)) for a, shared in pairs]
        overdue = sum(1 for a, share in judged if share_overdue(a, share, AS_OF))
        counts[owner] = (len(pairs), overdue, sum(1 for _, share in judged if share.status == "not_reported"))
    return counts


@settings(max_examples=40, deadline=None)
@given(actions)
def test_the_counts_are_those_of_every_share_judged_alone(drawn: list[Any]) -> None:
    directory, plan_actions = _load(_plan(drawn))
    owed = owed_by_organisation(directory, plan_actions, AS_OF)
    found = {key: (o.actions, o.overdue, o.not_reported) for key, o in owed.items()}
    assert found == _pair_by_pair(directory, plan_actions)


def test_an_all_action_is_judged_once_plus_once_per_organisation_reporting_on_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own = {"date": "2020-09-01", "status": "in_progress", "note": "Ours.", "organisation": "nps"}
    directory, plan_actions = _load(
        [base_action(i, lead=["All"], status="in_progress", progress=[own]) for i in range(1, 31)]
    )
    judged = count_calls(monkeypatch, organisation_counts, "share_of")
    assert shares  # share_of is the one rule, imported by name where it is counted
    owed = owed_by_organisation(directory, plan_actions, AS_OF)
    assert len(judged) == 30 * 2  # the common share and NPS's own, never one per organisation
    assert owed["nps"].not_reported == 0
    assert owed["mps"].not_reported == 30
