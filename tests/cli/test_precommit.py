"""The `cheplan-validate` hook, run through the real pre-commit tool (`pre-commit try-repo`).

pre-commit builds the hook's environment by pip-installing this repository, which takes a
few seconds and needs a package index. `try-repo` only sees committed files and uncommitted
edits to tracked ones, so the test copies the working tree into a fresh repository first: it
checks the hook as it is on disk, committed or not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, SHIPPED_PLAN
from tests.gitrepo import GitRepo, requires_git

HOOK_ID = "cheplan-validate"
# What building and running the hook needs from this repository.
HOOK_SOURCES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "cheplan", "data", "schema")


def _pre_commit() -> str:
    found = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(found).exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]'); the hook was not exercised")
    return found


def test_manifest_defines_the_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = (h for h in hooks if h["id"] == HOOK_ID)
    assert hook["entry"] == "cheplan validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True


def test_manifest_is_valid_for_pre_commit() -> None:
    done = subprocess.run(
        [_pre_commit(), "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = GitRepo(tmp_path_factory.mktemp("hook") / "cheplan")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in HOOK_SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, repo.root / name, ignore=ignore)
        else:
            shutil.copy2(source, repo.root / name)
    repo.commit("cheplan as on disk")
    return repo.root


@pytest.fixture(scope="module")
def plans_repo(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    repo = GitRepo(tmp_path_factory.mktemp("consumer") / "plans")
    repo.write("plans/plan_valid.yaml", SHIPPED_PLAN.read_text(encoding="utf-8"))
    broken = SHIPPED_PLAN.read_text(encoding="utf-8").replace('end: "2020-09"', 'end: "Sep-20"', 1)
    assert broken != SHIPPED_PLAN.read_text(encoding="utf-8")
    repo.write("plans/plan_invalid.yaml", broken)
    repo.write("notes.yaml", "not: a plan\n")
    repo.commit("plans")
    return repo


def try_repo(hook_repo: Path, plans: GitRepo, *files: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHEPLAN_", "GITHUB_", "GIT_"))}
    env["PRE_COMMIT_HOME"] = str(plans.root.parent / "pre-commit-home")
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [_pre_commit(), "try-repo", str(hook_repo), HOOK_ID, "--files", *files],
        cwd=plans.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@requires_git
def test_hook_passes_a_valid_plan(hook_repo: Path, plans_repo: GitRepo) -> None:
    done = try_repo(hook_repo, plans_repo, "plans/plan_valid.yaml")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "cheplan validate" in output
    assert "Passed" in output


@requires_git
def test_hook_fails_an_invalid_plan_at_the_line(hook_repo: Path, plans_repo: GitRepo) -> None:
    broken_line = next(
        number
        for number, line in enumerate((plans_repo.root / "plans/plan_invalid.yaml").read_text().splitlines(), 1)
        if "Sep-20" in line
    )
    done = try_repo(hook_repo, plans_repo, "plans/plan_valid.yaml", "plans/plan_invalid.yaml", "notes.yaml")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Failed" in output
    assert f"plans/plan_invalid.yaml:{broken_line}:" in output
    assert "'Sep-20' is not a month" in output
    assert "plans/plan_valid.yaml: 38 actions, 0 problems" in output  # checked too, in the same run
    assert "notes.yaml" not in output  # not a plan file name: pre-commit does not pass it to the hook
