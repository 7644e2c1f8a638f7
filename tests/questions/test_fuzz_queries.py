"""Property tests for the daily commands on plans that pass `validate`.

Fuzzing `validate` alone let a plan through that crashed `overdue` (a month in year 0): here,
any plan that validates must also give every read command a clean answer, on any date.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cheplan.cli.app import main
from tests.conftest import base_action, plan_data

STATUSES = ["not_reported", "planned", "in_progress", "complete", "dropped"]
months = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1900, 2999), st.integers(1, 12))
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))
entries = st.lists(
    st.builds(
        lambda d, s, n: {"date": d.isoformat(), "status": s, "note": n},
        days,
        st.sampled_from(STATUSES),
        st.text(min_size=1, max_size=20).filter(str.strip),
    ),
    max_size=3,
)


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    actions = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        start, end = sorted([draw(months), draw(months)])
        progress = sorted(draw(entries), key=lambda e: e["date"])
        status = progress[-1]["status"] if progress else draw(st.sampled_from(STATUSES))
        actions.append(
            base_action(
                number,
                start=start,
                end=end,
                status=status,
                progress=progress,
                recommendations=draw(
                    st.lists(st.sampled_from(["SELR-1", "SELR-5", "JSNA-1.12"]), max_size=2, unique=True)
                ),
                lead=draw(
                    st.lists(st.sampled_from(["MPS", "MPS Southwark", "NPS"]), min_size=1, max_size=2, unique=True)
                ),
            )
        )
    return plan_data(actions)


def run(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    assert "Traceback" not in err.getvalue()
    assert "internal error" not in err.getvalue(), err.getvalue()
    return code, out.getvalue()


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans(), as_of=days)
def test_a_valid_plan_answers_every_daily_command(tmp_path: Path, plan: dict[str, Any], as_of: date) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False, allow_unicode=True), encoding="utf-8")
    code, _ = run("validate", str(path))
    if code != 0:
        return  # only plans that validate are promised an answer
    when = as_of.isoformat()
    commands: list[list[str]] = [["overdue"], ["due", "--within", "400"], ["trace"]]
    for command in commands:
        for fmt in ("json", "table"):
            code, out = run(*command, "--plan", str(path), "--as-of", when, "--format", fmt)
            assert code == 0, (command, fmt)
            if fmt == "json":
                json.loads(out)
    overdue_ids = {
        row["id"] for row in json.loads(run("overdue", "--plan", str(path), "--as-of", when, "--format", "json")[1])
    }
    due_soon = json.loads(run("due", "--plan", str(path), "--as-of", when, "--within", "400", "--format", "json")[1])
    assert overdue_ids.isdisjoint(row["id"] for row in due_soon)
    assert all(0 <= row["days_left"] <= 400 for row in due_soon)
