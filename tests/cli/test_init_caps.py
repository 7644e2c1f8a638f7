"""`cheplan init` refuses, at once and naming the cap, a plan no command could read (more
values, or more bytes, than a plan file may hold), writing nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cheplan.domain import caps
from cheplan.loading import yaml_builder  # noqa: F401 - imported before a cap is shrunk: it keeps its own copy
from cheplan.outputs import plan_yaml
from tests.conftest import Result, RunCli, count_calls

HEADER = ["Theme", "Action", "Outcomes", "Lead", "Start date", "End date", "Recommendations"]


def _table(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "table.csv"
    with path.open("w", encoding="utf-8", newline="") as table:
        writer = csv.writer(table)
        writer.writerow(HEADER)
        for n in range(1, rows + 1):
            writer.writerow(
                ["GOVERNANCE", f"Action {n}: é" + " word" * 40, f"Outcome {n}", "NPS", "Apr-21", "Mar-22", "SELR - 1"]
            )
    return path


def _init(cli: RunCli, table: Path, out: Path) -> Result:
    return cli("init", "--from", table, "--title", "Plan 2021/22", "--period", "2021-04..2022-03", "--out", out)


def test_a_plan_over_the_cap_of_values_is_refused_before_it_is_written_out(
    tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = _table(tmp_path, 200)
    # The reader keeps its own copy of the caps (imported before this test): only the writer's
    # check sees the smaller one, as it would see a plan over the real cap.
    monkeypatch.setattr(caps, "MAX_NODES", 5_000)
    dumps = count_calls(monkeypatch, plan_yaml, "plan_text")
    result = _init(cli, table, tmp_path / "plan.yaml")
    assert result.code == 2, result.stderr
    assert "values (texts, numbers, lists and mappings), over the cap of 5,000" in result.stderr
    assert "smaller table" in result.stderr
    assert dumps == []  # refused from the count of the data: the text was never made
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_a_plan_over_the_byte_cap_is_refused_before_it_is_written_out(
    tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = _table(tmp_path, 200)
    cap = table.stat().st_size  # the table is read; the plan made from it is bigger
    monkeypatch.setattr(caps, "MAX_FILE_BYTES", cap)
    dumps = count_calls(monkeypatch, plan_yaml, "plan_text")
    result = _init(cli, table, tmp_path / "plan.yaml")
    assert result.code == 2, result.stderr
    assert f"bytes, over the cap of {cap:,}" in result.stderr
    assert dumps == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_a_plan_within_the_caps_is_written_whole(tmp_path: Path, cli: RunCli) -> None:
    table = _table(tmp_path, 200)
    result = _init(cli, table, tmp_path / "plan.yaml")
    assert result.code == 0, result.stderr
    assert "200 actions" in result.stderr
    assert cli("validate", "--plan", tmp_path / "plan.yaml").code == 0
