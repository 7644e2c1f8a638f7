"""`cheplan rollover` on a copy of the shipped plan with a year of progress recorded, and the
commands that look across plan years (`trace`, `show`, `validate --earlier`).

The progress recorded here is illustrative, written for the test: the shipped plan records none.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from cheplan.domain.model import Plan
from cheplan.loading.load import load_plan
from cheplan.questions.rollover import roll_over
from tests.conftest import SHIPPED_PLAN, RunCli

# (action, status, date, note, revised end): a year of returns, as `cheplan update` records them.
YEAR = [
    (1, "complete", "2020-07-15", "Board met; terms of reference agreed.", None),
    (2, "in_progress", "2020-09-01", "Hub co-location under way.", None),
    (2, "in_progress", "2021-02-01", "Hub meets weekly.", None),
    (5, "complete", "2020-12-01", "Done.", None),
    (7, "complete", "2020-09-30", "Data sharing agreement signed.", None),
    (9, "dropped", "2020-11-01", "Merged into action 8 by the board.", None),
    (10, "in_progress", "2020-09-15", "Agreed by the board on 2020-09-15: analyst recruited late.", "2021-06"),
    (18, "complete", "2020-06-30", "Directory published.", None),
    (22, "in_progress", "2020-06-01", "Review started.", None),
    (32, "planned", "2020-05-01", "Tracker design agreed.", None),
    (38, "complete", "2021-04-15", "Interventions running.", None),  # after the as-of date: still carried
]
FINISHED_ON_AS_OF = {1, 5, 7, 9, 18}
AS_OF = "2021-03-31"


@pytest.fixture
def year(tmp_path: Path, cli: RunCli) -> tuple[Path, Path]:
    """A copy of the shipped plan after a year of updates, and where next year's plan goes."""
    old = tmp_path / "plan_2020_21.yaml"
    shutil.copyfile(SHIPPED_PLAN, old)
    for action, status, day, note, revised in YEAR:
        extra = ["--revised-end", revised] if revised else []
        result = cli("update", str(action), "--status", status, "--date", day, "--note", note, "--plan", old, *extra)
        assert result.code == 0, result.stderr
    return old, tmp_path / "plan_2021_22.yaml"


def rollover(cli: RunCli, old: Path, new: Path, *more: str) -> Any:
    return cli(
        "rollover",
        "--plan",
        old,
        "--to",
        "2021/22",
        "--period",
        "2021-04..2022-03",
        "--as-of",
        AS_OF,
        "--out",
        new,
        *more,
    )


def test_rollover_carries_exactly_the_unfinished_actions_with_provenance(year: tuple[Path, Path], cli: RunCli) -> None:
    old, new = year
    before = old.read_bytes()
    result = rollover(cli, old, new)
    assert result.code == 0, result.stderr
    assert "33 of 38 actions carried from 2020/21" in result.stderr
    made = yaml.safe_load(new.read_text(encoding="utf-8"))
    original = yaml.safe_load(before)
    expected = [a for a in original["actions"] if a["id"] not in FINISHED_ON_AS_OF]
    assert [a["id"] for a in made["actions"]] == [a["id"] for a in expected]
    for mine, theirs in zip(made["actions"], expected, strict=True):
        for key in ("action", "outcomes", "lead", "lead_printed", "recommendations", "theme", "start"):
            assert mine[key] == theirs[key]
        assert mine["end"] == "2022-03"
        assert "progress" not in mine
        assert mine["carried_from"]["end_agreed"] is False
        assert mine["carried_from"]["baseline_end"] == theirs["end"]
    by_id = {a["id"]: a for a in made["actions"]}
    assert by_id[22]["carried_from"] == {
        "plan": "2020/21",
        "action": 22,
        "status": "in_progress",
        "baseline_end": "2020-03",
        "end_agreed": False,
        "last_update": "2020-06-01",
    }
    assert by_id[38]["carried_from"]["status"] == "not_reported"
    assert "last_update" not in by_id[38]["carried_from"]
    assert made["organisations"] == original["organisations"]
    assert made["themes"] == original["themes"]
    assert made["plan"]["period"] == {"start": "2021-04", "end": "2022-03"}
    assert made["plan"]["title"] == "Southwark Community Harm and Exploitation Reduction Plan 2021/22"
    assert "approved" not in made["plan"]
    checked = cli("validate", new, "--earlier", old)
    assert checked.code == 0, checked.stdout
    assert checked.stdout.count("[end-to-be-agreed]") == 33


MEETINGS = 'meetings:\n  - date: "2021-01-12"\n    body: Board\n  - date: "2021-06-08"\n    body: Board\n'


def test_the_old_plans_bytes_outside_closed_are_unchanged(year: tuple[Path, Path], cli: RunCli) -> None:
    old, new = year
    old.write_bytes(old.read_bytes() + MEETINGS.encode())  # the board's meetings, this year and next
    before = old.read_bytes()
    result = rollover(cli, old, new)
    assert result.code == 0, result.stderr
    assert "dropped outside the new period: 1 meetings" in result.stderr
    assert yaml.safe_load(new.read_text(encoding="utf-8"))["meetings"] == [{"date": "2021-06-08", "body": "Board"}]
    after = old.read_bytes()
    assert after.startswith(before)
    block = yaml.safe_load(after[len(before) :])
    carried = [a["id"] for a in yaml.safe_load(before)["actions"] if a["id"] not in FINISHED_ON_AS_OF]
    assert block == {"closed": {"date": AS_OF, "carried": carried, "by_plan": "2021/22"}}
    assert cli("validate", old).code == 0


def test_a_closed_plan_is_not_rolled_over_again(year: tuple[Path, Path], cli: RunCli, tmp_path: Path) -> None:
    old, new = year
    assert rollover(cli, old, new).code == 0
    closed = old.read_bytes()
    again = rollover(cli, old, tmp_path / "other.yaml")
    assert again.code == 2
    assert "already closed" in again.stderr
    assert old.read_bytes() == closed
    assert not (tmp_path / "other.yaml").exists()
    assert rollover(cli, old, new).code == 2  # --out exists: nothing overwritten without --force


def test_overdue_and_due_show_an_end_to_be_agreed(year: tuple[Path, Path], cli: RunCli) -> None:
    old, new = year
    assert rollover(cli, old, new).code == 0
    due = cli("due", "--plan", new, "--as-of", "2022-01-15", "--within", "90", "--format", "csv")
    assert due.code == 0, due.stderr
    assert "2022-03 (to be agreed)" in due.stdout


def test_trace_across_both_years_labels_each_action_by_plan(year: tuple[Path, Path], cli: RunCli) -> None:
    old, new = year
    assert rollover(cli, old, new).code == 0
    result = cli("trace", "--plan", old, "--plan", new, "--as-of", "2021-06-01", "--format", "json")
    assert result.code == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["SELR-1"]["actions"] == ["2020/21#1"]  # finished in 2020/21: not carried
    assert rows["SELR-1"]["states"] == {"2020/21": "delivered", "2021/22": "not_covered"}
    assert rows["SELR-1"]["covered"] is True
    assert rows["SELR-2"]["actions"] == ["2020/21#2", "2021/22#2"]
    assert rows["SELR-2"]["states"]["2021/22"] == "in_progress"
    table = cli("trace", "--plan", old, "--plan", new, "--as-of", "2021-06-01")
    assert "2020/21#2" in table.stdout
    assert "Covered across 2020/21 and 2021/22" in table.stdout


def test_show_follows_an_action_across_years(year: tuple[Path, Path], cli: RunCli) -> None:
    old, new = year
    assert rollover(cli, old, new).code == 0
    for asked in ("2020/21#22", "2021/22#22"):
        result = cli("show", asked, "--plan", old, "--plan", new, "--format", "json", "--as-of", "2021-06-01")
        assert result.code == 0, result.stderr
        steps = json.loads(result.stdout)
        assert [(s["plan"], s["id"], s["status"]) for s in steps] == [
            ("2020/21", 22, "in_progress"),
            ("2021/22", 22, "in_progress"),
        ]
        assert steps[0]["carried_into"] == "2021/22#22"
        assert steps[1]["carried_from"] == {"plan": "2020/21", "action": 22}
    finished = json.loads(cli("show", "2020/21#1", "--plan", old, "--plan", new, "-f", "json").stdout)
    assert [s["carried_into"] for s in finished] == [None]
    assert cli("show", "2019/20#1", "--plan", old, "--plan", new).code == 2
    assert cli("show", "22", "--plan", old, "--plan", new).code == 2  # which year?
    assert cli("show", "2020/21#x", "--plan", old).code == 2


def test_validate_checks_carried_from_against_the_earlier_plan(year: tuple[Path, Path], cli: RunCli) -> None:
    old, new = year
    assert rollover(cli, old, new).code == 0
    text = new.read_text(encoding="utf-8")
    new.write_text(text.replace("    action: 22\n", "    action: 99\n"), encoding="utf-8")
    result = cli("validate", new, "--earlier", old)
    assert result.code == 1
    assert "carried from 2020/21 action 99, which that plan does not hold [carried-from-unknown]" in result.stdout
    assert cli("validate", new).code == 0  # without the earlier plan, nothing to check it against


def _plan() -> tuple[dict[str, Any], Plan]:
    raw: dict[str, Any] = yaml.safe_load(SHIPPED_PLAN.read_text(encoding="utf-8"))
    return raw, load_plan(SHIPPED_PLAN, []).plan


def test_meetings_and_rounds_outside_the_new_period_are_dropped_the_rest_copied() -> None:
    raw, plan = _plan()
    raw["meetings"] = [{"date": "2021-02-01", "title": "Old"}, {"date": "2021-05-10", "title": "New"}]
    raw["rounds"] = [{"deadline": "2022-06-30"}, {"deadline": "2021-06-30"}]
    raw["contacts"] = [{"organisation": "cheb", "email": "x@example.invalid"}]
    made = roll_over(raw, plan, to="2021/22", period=("2021-04", "2022-03"), as_of=date(2021, 3, 31), title=None)
    assert made.data["meetings"] == [{"date": "2021-05-10", "title": "New"}]
    assert made.data["rounds"] == [{"deadline": "2021-06-30"}]
    assert made.data["contacts"] == raw["contacts"]
    assert made.dropped == {"meetings": 1, "rounds": 1}
    assert len(made.carried) == 38  # nothing reported in the shipped plan: everything carries


def test_the_period_ended_note_comes_before_the_table(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cheplan", "overdue"],
        capture_output=False,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"CHEPLAN_NO_CACHE": "1", "COLUMNS": "80", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )
    assert done.returncode == 0, done.stdout
    note = done.stdout.index("the plan period has ended")
    assert note < done.stdout.index("Overdue as of")
    assert "--as-of 2020-10-01" in done.stdout
    assert (
        "cheplan rollover --plan YOUR_COPY.yaml --to 2021/22 --period 2021-04..2022-03 --as-of 2021-03-31"
        in done.stdout
    )


def test_the_shipped_plan_is_never_closed(cli: RunCli, tmp_path: Path) -> None:
    before = SHIPPED_PLAN.read_bytes()
    result = cli(
        "rollover", "--to", "2021/22", "--period", "2021-04..2022-03", "--as-of", AS_OF, "--out", tmp_path / "n.yaml"
    )
    assert result.code == 2
    assert "copy it" in result.stderr
    assert SHIPPED_PLAN.read_bytes() == before
    assert not (tmp_path / "n.yaml").exists()


def test_a_dry_run_writes_nothing(year: tuple[Path, Path], cli: RunCli) -> None:
    old, new = year
    before = old.read_bytes()
    result = rollover(cli, old, new, "--dry-run")
    assert result.code == 0, result.stderr
    assert "would write" in result.stderr
    assert 'closed:\n  date: "2021-03-31"' in result.stderr
    assert old.read_bytes() == before
    assert not new.exists()


def test_a_read_only_plan_is_refused_before_anything_is_written(year: tuple[Path, Path], cli: RunCli) -> None:
    old, new = year
    old.chmod(0o444)  # an archived plan: refused by its mode, whoever runs it (root too)
    before = old.read_bytes()
    result = rollover(cli, old, new)
    assert result.code == 1
    assert "read-only" in result.stderr
    assert old.read_bytes() == before
    assert not new.exists()
