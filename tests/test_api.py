"""The public library API: `from cheplan import ...`, cheap to import, and the README's example runs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

import cheplan
from tests.conftest import REPO, SHIPPED_PLAN, SHIPPED_REGISTER, RunCli, base_action, plan_data

API = ["load_plan", "validate", "overdue", "due", "trace", "record_progress", "ProgressEntry"]
ERRORS = ["CheplanError", "UnreadableInputError", "UsageError", "InvalidPlanError", "WriteRefusedError"]
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    """Each Python example that uses the library, wherever the documentation keeps it."""
    pages = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    return [
        (str(page.relative_to(REPO)), code)
        for page in pages
        if page.exists()
        for code in PYTHON_BLOCK.findall(page.read_text(encoding="utf-8"))
        if "from cheplan" in code
    ]


def test_every_public_name_is_exported_and_resolves() -> None:
    assert sorted(cheplan.__all__) == sorted([*API, *ERRORS, "__version__"])
    for name in [*API, *ERRORS]:
        assert getattr(cheplan, name) is not None
    assert issubclass(cheplan.InvalidPlanError, cheplan.CheplanError)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        cheplan.nothing_here  # noqa: B018


def test_the_package_docstring_names_the_api() -> None:
    assert cheplan.__doc__ is not None
    for name in API:
        assert name in cheplan.__doc__
    assert "cheplan.load.load_plan" not in cheplan.__doc__


def test_importing_cheplan_imports_nothing_else() -> None:
    code = "import sys, cheplan; print(sorted(m for m in sys.modules if m.startswith('cheplan') or m == 'typing'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.strip() == "['cheplan']"


@pytest.mark.parametrize(("page", "code"), _examples())
def test_the_documented_example_runs_and_leaves_the_cache_alone(page: str, code: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(REPO), "CHEPLAN_CACHE_DIR": str(cache)}
    env.pop("CHEPLAN_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", code + "\nprint(late)"], capture_output=True, text=True, cwd=REPO, env=env, check=False
    )
    assert done.returncode == 0, f"{page}: {done.stderr}"
    assert done.stdout.strip() not in ("", "[]"), done.stdout
    assert not cache.exists()  # a library call never writes to the user's cache unless asked


def test_there_is_an_example() -> None:
    assert [page for page, _ in _examples()] != []


def test_a_library_call_uses_the_cache_only_when_asked(cache_dir: Path) -> None:
    cheplan.load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER])
    assert cheplan.validate(SHIPPED_PLAN, [SHIPPED_REGISTER]).ok
    assert not cache_dir.exists()
    cheplan.load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER], cache=True)
    assert any(cache_dir.iterdir())


def _ids(cli: RunCli, *args: str) -> list[int]:
    result = cli(*args, "--as-of", "2020-10-01", "-f", "json")
    assert result.code == 0, result.stderr
    rows = json.loads(result.stdout)
    return [row["id"] for row in rows]


def test_the_questions_answer_as_the_commands_do(cli: RunCli) -> None:
    loaded = cheplan.load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER])
    on = date(2020, 10, 1)
    late = [row.action.id for row in cheplan.overdue(loaded.plan, on)]
    assert late == _ids(cli, "overdue")
    assert late != []
    soon = [row.action.id for row in cheplan.due(loaded.plan, on, date(2020, 12, 31), lead="NPS")]
    assert soon == _ids(cli, "due", "--before", "2020-12-31", "--lead", "NPS")
    coverage = cheplan.trace(loaded.plan, loaded.registers, on)
    traced = cli("trace", "--as-of", "2020-10-01", "-f", "json")
    assert [r.recommendation.id for r in coverage.recommendations] == [
        r["id"] for r in json.loads(traced.stdout)["recommendations"]
    ]


def test_record_progress_appends_an_entry_and_refuses_a_bad_one(tmp_path: Path, cache_dir: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(plan_data([base_action(1)]), sort_keys=False), encoding="utf-8")
    entry = cheplan.ProgressEntry(date="2020-10-01", status="in_progress", note="Started.")
    outcome = cheplan.record_progress(plan, [(1, entry)], registers=[SHIPPED_REGISTER], today=date(2020, 10, 2))
    assert outcome.written
    assert yaml.safe_load(plan.read_text(encoding="utf-8"))["actions"][0]["progress"][0]["note"] == "Started."
    assert not cache_dir.exists()
    with pytest.raises(cheplan.UsageError):
        cheplan.record_progress(plan, [(99, entry)], registers=[SHIPPED_REGISTER], today=date(2020, 10, 2))
