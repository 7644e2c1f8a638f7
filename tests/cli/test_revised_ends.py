"""Every output shows a slip: "end Dec 2020 → Jun 2021 (+6 months, agreed 2020-12-01)"."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_REGISTER, MakePlan, RunCli, base_action

AGREED = "Agreed by the board on 2020-12-01: the venue closed until spring."
REVISED = {"date": "2020-12-01", "status": "in_progress", "note": AGREED, "revised_end": "2021-06"}
SLIP = "2020-12 → 2021-06 (+6 months, agreed 2020-12-01)"


@pytest.fixture
def plan(make_plan: MakePlan) -> Path:
    return make_plan(
        [
            base_action(1, end="2020-12", status="in_progress", progress=[REVISED]),
            base_action(2, end="2020-12"),
        ]
    )


def test_overdue_uses_the_effective_end_and_shows_the_slip(cli: RunCli, plan: Path) -> None:
    rows = json.loads(cli("overdue", "--plan", plan, "--as-of", "2021-07-01", "-f", "json").stdout)
    assert [(r["id"], r["end"], r["baseline_end"], r["effective_end"], r["due"]) for r in rows] == [
        (2, "2020-12", "2020-12", "2020-12", "2020-12-31"),
        (1, "2020-12", "2020-12", "2021-06", "2021-06-30"),
    ]
    assert rows[1]["revision"] == {"agreed": "2020-12-01", "months": 6, "note": AGREED}
    early = json.loads(cli("overdue", "--plan", plan, "--as-of", "2021-01-15", "-f", "json").stdout)
    assert [r["id"] for r in early] == [2]  # action 1 is not late: its end was moved
    assert f"| {SLIP} |" in cli("overdue", "--plan", plan, "--as-of", "2021-07-01", "-f", "markdown").stdout


def test_the_slip_fits_an_80_column_table(cli: RunCli, plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    table = cli("overdue", "--plan", plan, "--as-of", "2021-07-01").stdout
    assert max(len(line) for line in table.splitlines()) <= 80
    # Wrapped inside its column at word boundaries, never cut.
    end_column = [line[line.index("2020-12") :].split("  ")[0] for line in table.splitlines() if "2020-12 →" in line]
    assert end_column == ["2020-12 →"]
    assert "2021-06 (+6" in table
    assert "months, agreed" in table


def test_due_lists_by_the_effective_end(cli: RunCli, plan: Path) -> None:
    rows = json.loads(cli("due", "--plan", plan, "--as-of", "2021-06-01", "-f", "json").stdout)
    assert [(r["id"], r["effective_end"], r["days_left"]) for r in rows] == [(1, "2021-06", 29)]
    markdown = cli("due", "--plan", plan, "--as-of", "2021-06-01", "-f", "markdown").stdout
    assert SLIP in markdown


def test_csv_shows_the_slip_in_the_end_column(cli: RunCli, plan: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("actions", "--plan", plan, "-f", "csv").stdout)))
    assert [r["end"] for r in rows] == [SLIP, "2020-12"]


def test_actions_json_keeps_end_as_the_baseline(cli: RunCli, plan: Path) -> None:
    first = json.loads(cli("actions", "--plan", plan, "-f", "json").stdout)[0]
    assert (first["end"], first["baseline_end"], first["effective_end"]) == ("2020-12", "2020-12", "2021-06")
    assert first["progress"][0]["revised_end"] == "2021-06"


def test_show_states_the_slip_and_the_revision_entry(cli: RunCli, plan: Path) -> None:
    shown = " ".join(cli("show", "1", "--plan", plan).stdout.split())
    assert f"End {SLIP}" in shown
    assert "Progress 2020-12-01 in progress, end revised to Jun 2021:" in shown


def test_trace_uses_the_effective_end_and_shows_it(cli: RunCli, plan: Path) -> None:
    args = ("--plan", plan, "--register", SHIPPED_REGISTER, "--as-of", "2021-01-15")
    data = json.loads(cli("trace", *args, "-f", "json").stdout)
    [selr1] = [r for r in data["recommendations"] if r["id"] == "SELR-1"]
    assert [(a["id"], a["effective_end"], a["overdue"]) for a in selr1["action_details"]] == [
        (1, "2021-06", False),
        (2, "2020-12", True),
    ]
    table = " ".join(cli("trace", *args).stdout.split())
    assert "1 (2020-12→2021-06)" in table
    detail = " ".join(cli("trace", "SELR-1", *args).stdout.split())
    assert "2020-04 to 2020-12, end Dec 2020 → Jun 2021 (+6 months, agreed 2020-12-01) (due 2021-06-30)" in detail
