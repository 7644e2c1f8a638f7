"""`--stale-days N`: one meaning (amber after N days without an update) on every command that rates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS
from tests.conftest import MakePlan, RunCli, base_action

# In progress since an entry of 2020-06-01, ending 2020-12: on 2020-11-20 that entry is 172 days
# old and the end is 41 days away, so only staleness can make it amber.
UPDATED = {"date": "2020-06-01", "status": "in_progress", "note": "Started."}
AS_OF = "2020-11-20"


@pytest.fixture
def plan(make_plan: MakePlan) -> Path:
    return make_plan([base_action(1, end="2020-12", status="in_progress", progress=[UPDATED])])


def ratings(cli: RunCli, *args: str | Path) -> list[dict[str, Any]]:
    result = cli(*args, "-f", "json")
    assert result.code == 0, result.stderr
    rows = json.loads(result.stdout)
    return [row["rag"] for row in (rows if isinstance(rows, list) else [rows])]


@pytest.mark.parametrize(
    "command",
    [
        ["actions"],
        ["actions", "1"],
        ["due", "--within", "200"],
    ],
)
def test_stale_days_moves_the_amber_line(cli: RunCli, plan: Path, command: list[str]) -> None:
    [default] = ratings(cli, *command, "--plan", plan, "--as-of", AS_OF)
    assert default["rating"] == "amber"
    assert f"stale: latest update 2020-06-01, 172 days old (over {DEFAULT_STALE_DAYS})" in default["reasons"]
    [patient] = ratings(cli, *command, "--plan", plan, "--as-of", AS_OF, "--stale-days", "200")
    assert patient["rating"] == "green"
    [strict] = ratings(cli, *command, "--plan", plan, "--as-of", "2020-06-20", "--stale-days", "10")
    assert strict["rating"] == "amber"


def test_overdue_has_no_stale_days_an_overdue_action_is_red_whatever_its_updates(cli: RunCli, plan: Path) -> None:
    [late] = ratings(cli, "overdue", "--plan", plan, "--as-of", "2021-01-05")
    assert late["rating"] == "red"
    assert cli("overdue", "--plan", plan, "--stale-days", "30").code == 2


@pytest.mark.parametrize("value", ["-1", "36501", "soon"])
@pytest.mark.parametrize("command", ["actions", "due", "report"])
def test_a_bad_value_is_a_usage_error(cli: RunCli, plan: Path, value: str, command: str) -> None:
    result = cli(command, "--plan", plan, "--stale-days", value)
    assert result.code == 2
    assert "--stale-days" in result.stderr
