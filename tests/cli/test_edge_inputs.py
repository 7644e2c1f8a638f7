"""Inputs at the edges that once reached an internal error or fooled a check (found in review)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_PLAN, MakePlan, RunCli, base_action


@pytest.mark.parametrize(
    ("fields", "hint"),
    [
        ({"start": "0000-01", "end": "0000-02"}, "year must be between 1900 and 2999"),
        ({"end": "２０２０-０９"}, "is not a month"),  # full-width digits
        ({"end": "2020-09\n"}, "is not a month"),
    ],
)
def test_months_are_ascii_and_in_range(cli: RunCli, make_plan: MakePlan, fields: dict[str, str], hint: str) -> None:
    plan = make_plan([base_action(1, **fields)])
    result = cli("validate", plan)
    assert result.code == 1
    assert hint in result.stdout
    # ... so the daily commands report the plan as invalid instead of failing inside.
    overdue = cli("overdue", "--plan", plan, "--as-of", "2020-10-01")
    assert overdue.code == 1
    assert "internal error" not in overdue.stderr


def test_progress_dates_with_non_ascii_digits_are_refused(cli: RunCli, make_plan: MakePlan) -> None:
    entry = {"date": "٢٠٢٠-٠٥-٠١", "status": "complete", "note": "x"}
    result = cli("validate", make_plan([base_action(1, status="complete", progress=[entry])]))
    assert result.code == 1
    assert "is not a date" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("due", "--within", "99999999999"),
        ("due", "--as-of", "9999-12-31", "--within", "1"),
        ("trace", "--fail-under", "nan"),
        ("overdue", "--as-of", "0000-01-01"),
    ],
)
def test_out_of_range_values_are_usage_errors(cli: RunCli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.code == 2
    assert "internal error" not in result.stderr


def test_a_device_that_never_ends_is_refused(cli: RunCli) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    result = cli("validate", "/dev/zero")
    assert result.code == 2
    assert "is a device, not a file" in result.stderr


def test_a_non_utf8_terminal_gets_ascii_tables_not_an_error() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "latin-1", "CHEPLAN_NO_CACHE": "1", "COLUMNS": "80"}
    run = subprocess.run(
        [sys.executable, "-m", "cheplan", "overdue", "--plan", str(SHIPPED_PLAN), "--as-of", "2020-07-01"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert b"---+---" in run.stdout
    assert b"Traceback" not in run.stderr
