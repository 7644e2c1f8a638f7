"""The `cheplan-validate` hook, run through the real pre-commit tool.

pre-commit builds a hook's environment by pip-installing the hook's repository with its
dependencies (matplotlib, numpy, pydantic, ...), which needs a package index and costs more
than the rest of this file together. `pre-commit try-repo` does that on every call, in a
throwaway store. So, as a consumer repository does, the tests name the hook in a
.pre-commit-config.yaml and run `pre-commit run` with one store for the whole test run (every
xdist worker included): the environment is built once. The hook's repository is a copy of the
working tree committed to a fresh repository, so the hook is checked as it is on disk,
committed or not.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, SHIPPED_PLAN, skip_or_fail
from tests.gitrepo import GitRepo, requires_git

HOOK_ID = "cheplan-validate"
# What building and running the hook needs from this repository.
HOOK_SOURCES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "cheplan", "data", "schema")


def _pre_commit() -> str:
    found = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(found).exists():
        skip_or_fail("pre-commit is not installed (pip install -e '.[test]'); the hook was not exercised")
    return found


def test_manifest_defines_the_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = (h for h in hooks if h["id"] == HOOK_ID)
    assert hook["entry"] == "cheplan validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True


@pytest.mark.external
def test_manifest_is_valid_for_pre_commit() -> None:
    done = subprocess.run(
        [_pre_commit(), "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@dataclass(frozen=True)
class Hook:
    config: Path
    """A .pre-commit-config.yaml naming the hook in its repository, at its commit."""
    home: Path
    """pre-commit's store, where the hook's environment is built once."""


@pytest.fixture(scope="session")
def hook(run_directory: Path) -> Hook:
    shared = run_directory / "pre-commit-hook"
    shared.mkdir(exist_ok=True)
    config = shared / "pre-commit-config.yaml"
    with (shared / "lock").open("w") as lock:  # the first worker here builds; the others use it
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not config.exists():
            repo = GitRepo(shared / "cheplan")
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            for name in HOOK_SOURCES:
                source = REPO / name
                if source.is_dir():
                    shutil.copytree(source, repo.root / name, ignore=ignore)
                else:
                    shutil.copy2(source, repo.root / name)
            revision = repo.commit("cheplan as on disk")
            entry = {"repo": str(repo.root), "rev": revision, "hooks": [{"id": HOOK_ID}]}
            text = yaml.safe_dump({"repos": [entry]}, sort_keys=False)
            temporary = config.with_suffix(".tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(config)
    # pre-commit locks its store while it builds an environment: concurrent runs wait for it.
    return Hook(config, shared / "home")


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


def run_hook(hook: Hook, plans: GitRepo, *files: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit run` on `files`, in the plans repository, as a commit there would run it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHEPLAN_", "GITHUB_", "GIT_"))}
    env.pop("PYTHONPATH", None)  # the hook runs the cheplan pre-commit installed, not this checkout
    env["PRE_COMMIT_HOME"] = str(hook.home)
    # pip byte-compiles every module it installs (numpy, matplotlib, ...): half the CPU of
    # building the hook's environment, for modules the hook never imports.
    env["PIP_COMPILE"] = "0"
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [_pre_commit(), "run", "--config", str(hook.config), HOOK_ID, "--files", *files],
        cwd=plans.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.mark.external
@requires_git
def test_hook_passes_a_valid_plan(hook: Hook, plans_repo: GitRepo) -> None:
    done = run_hook(hook, plans_repo, "plans/plan_valid.yaml")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "cheplan validate" in output
    assert "Passed" in output


@pytest.mark.external
@requires_git
def test_hook_fails_an_invalid_plan_at_the_line(hook: Hook, plans_repo: GitRepo) -> None:
    broken_line = next(
        number
        for number, line in enumerate((plans_repo.root / "plans/plan_invalid.yaml").read_text().splitlines(), 1)
        if "Sep-20" in line
    )
    done = run_hook(hook, plans_repo, "plans/plan_valid.yaml", "plans/plan_invalid.yaml", "notes.yaml")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Failed" in output
    assert f"plans/plan_invalid.yaml:{broken_line}:" in output
    assert "'Sep-20' is not a month" in output
    assert "plans/plan_valid.yaml: 38 actions, 0 problems" in output  # checked too, in the same run
    assert "notes.yaml" not in output  # not a plan file name: pre-commit does not pass it to the hook
