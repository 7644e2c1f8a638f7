"""`cheplan due`: unfinished actions falling due in a window, soonest first, with days left."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.conftest import MakePlan, RunCli, base_action

DECEMBER_ACTIONS = [15, 17, 27, 31, 32]
SEPTEMBER_ACTIONS = [7, 10, 19, 20, 21, 23, 24, 25, 28, 29, 33, 34, 35, 36, 38]


def due_json(cli: RunCli, *args: Any) -> list[dict[str, Any]]:
    result = cli("due", "--format", "json", *args)
    assert result.code == 0, result.stderr
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def test_default_window_is_30_days(cli: RunCli) -> None:
    rows = due_json(cli, "--as-of", "2020-12-01")  # until 2020-12-31, the window's last day included
    assert [(r["id"], r["days_left"]) for r in rows] == [(i, 30) for i in DECEMBER_ACTIONS]
    assert due_json(cli, "--as-of", "2020-11-30") == []  # until 2020-12-30: one day short


def test_due_today_has_zero_days_left(cli: RunCli) -> None:
    rows = due_json(cli, "--as-of", "2020-09-30", "--within", "0")
    assert [(r["id"], r["days_left"], r["due"]) for r in rows] == [(i, 0, "2020-09-30") for i in SEPTEMBER_ACTIONS]


def test_overdue_actions_are_not_coming_due(cli: RunCli) -> None:
    assert due_json(cli, "--as-of", "2020-10-01", "--within", "29") == []


def test_within_and_soonest_first(cli: RunCli) -> None:
    rows = due_json(cli, "--as-of", "2020-09-15", "--within", "120")
    ids = [r["id"] for r in rows]
    assert ids == SEPTEMBER_ACTIONS + DECEMBER_ACTIONS
    assert [r["days_left"] for r in rows] == sorted(r["days_left"] for r in rows)
    assert rows[0]["days_left"] == 15


def test_before_is_inclusive(cli: RunCli) -> None:
    assert [r["id"] for r in due_json(cli, "--as-of", "2020-12-01", "--before", "2020-12-31")] == DECEMBER_ACTIONS
    assert due_json(cli, "--as-of", "2020-12-01", "--before", "2020-12-30") == []


def test_before_equal_to_as_of_is_a_one_day_window(cli: RunCli) -> None:
    rows = due_json(cli, "--as-of", "2020-09-30", "--before", "2020-09-30")
    assert len(rows) == len(SEPTEMBER_ACTIONS)


def test_finished_actions_and_lead_filter(cli: RunCli, make_plan: MakePlan) -> None:
    done = {"date": "2020-09-01", "status": "complete", "note": "Done."}
    plan = make_plan(
        [
            base_action(1, end="2020-10", status="complete", progress=[done]),
            base_action(2, end="2020-10", lead=["MPS Southwark"]),
            base_action(3, end="2020-10", lead=["NPS"]),
        ]
    )
    assert [r["id"] for r in due_json(cli, "--plan", plan, "--as-of", "2020-10-15")] == [2, 3]
    rows = due_json(cli, "--plan", plan, "--as-of", "2020-10-15", "--lead", "mps")
    assert [(r["id"], r["matched_leads"], r["organisations"], r["days_left"]) for r in rows] == [
        (2, ["MPS Southwark"], ["mps-southwark"], 16)
    ]


def test_json_contract(cli: RunCli) -> None:
    (row,) = due_json(cli, "--as-of", "2020-12-01", "--lead", "Communities")
    assert row == {
        "id": 17,
        "action": row["action"],
        "theme": row["theme"],
        "lead": ["LBS Communities"],
        "matched_leads": ["LBS Communities"],
        "organisations": ["lbs-communities"],
        "end": "2020-12",
        "baseline_end": "2020-12",
        "effective_end": "2020-12",
        "revision": None,
        "proposal": None,
        "due": "2020-12-31",
        "status": "not_reported",
        "last_update": None,
        "rag": {
            "rating": "amber",
            "reasons": ["due 2020-12-31 (30 days left) and not reported, not in progress"],
            "override": None,
        },
        "days_left": 30,
    }
    assert row["action"].startswith("Community led organisations")


def test_table_footer_and_empty_message(cli: RunCli) -> None:
    result = cli("due", "--as-of", "2020-12-01")
    assert result.code == 0
    assert "Due by 2020-12-31" in result.stdout
    assert "5 due by 2020-12-31 of 38 actions in the plan, as of 2020-12-01." in result.stdout
    filtered = " ".join(cli("due", "--as-of", "2020-12-01", "--lead", "MPS").stdout.split())
    assert "2 due by 2020-12-31 of 7 matching actions (38 in the plan), as of 2020-12-01." in filtered
    empty = cli("due", "--as-of", "2020-11-01", "--within", "5")
    assert "Nothing unfinished falls due between 2020-11-01 and 2020-11-06." in empty.stdout


def test_csv_and_markdown(cli: RunCli) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("due", "--as-of", "2020-12-01", "-f", "csv").stdout)))
    assert list(rows[0]) == ["id", "action", "lead", "end", "days_left", "status", "last_update"]
    assert [(r["id"], r["days_left"]) for r in rows] == [(str(i), "30") for i in DECEMBER_ACTIONS]
    markdown = cli("due", "--as-of", "2020-12-01", "-f", "markdown").stdout
    assert "| ID | Action | Lead | End | Days | Status | Updated |" in markdown
    assert "| 32 | Police Activity Tracker" in markdown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--within", "10", "--before", "2020-12-31"], "not both"),
        (["--as-of", "2020-12-01", "--before", "2020-11-30"], "earlier than the as-of date 2020-12-01"),
        (["--before", "2020-11-31"], "--before"),
        (["--as-of", "2020-13-01"], "--as-of"),
        (["--within", "-1"], "-1"),
    ],
)
def test_usage_errors_exit_2(cli: RunCli, args: list[str], message: str) -> None:
    result = cli("due", *args)
    assert result.code == 2
    assert message in result.stderr
    assert result.stdout == ""
