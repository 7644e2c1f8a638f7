"""Shared fixtures: the shipped files, small plans built in tmp_path, and a CLI runner."""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml
from hypothesis import settings

from cheplan.cli.app import main

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLAN = REPO / "data" / "plan_2020_21.yaml"
SHIPPED_REGISTER = REPO / "data" / "elr_recommendations.yaml"
SOURCES = REPO.parent / "shared" / "sources"


# Under CI=true hypothesis draws the same examples on every run and keeps no database in the
# checkout: CI's verdict depends on the code alone, and xdist workers share nothing. Elsewhere
# each run explores new examples and remembers failing ones in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

_RUN_DIRECTORY = "CHEPLAN_TESTS_RUN_DIRECTORY"
_OWN_RUN_DIRECTORY = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """One folder for the whole test run, made by the first process (the xdist controller, or
    pytest alone): xdist workers start after this and inherit its name."""
    if _RUN_DIRECTORY not in os.environ:
        directory = Path(tempfile.mkdtemp(prefix="cheplan-tests-"))
        os.environ[_RUN_DIRECTORY] = str(directory)
        config.stash[_OWN_RUN_DIRECTORY] = directory


def pytest_unconfigure(config: pytest.Config) -> None:
    """The process that made the run's folder removes it, after every worker has finished."""
    directory = config.stash.get(_OWN_RUN_DIRECTORY, None)
    if directory is not None:
        shutil.rmtree(directory, ignore_errors=True)
        del os.environ[_RUN_DIRECTORY]


@pytest.fixture(scope="session")
def run_directory() -> Path:
    """A folder every xdist worker of this run shares (take a lock to build anything in it once);
    it is removed when the run ends."""
    return Path(os.environ[_RUN_DIRECTORY])


def under_ci() -> bool:
    return os.environ.get("CI") == "true"


def skip_or_fail(message: str) -> NoReturn:
    """Skip a test that cannot run here (a client or tool missing) on a developer's machine,
    but fail it under CI=true: a skipped test proves nothing, and CI installs everything."""
    if under_ci():
        pytest.fail(message)
    pytest.skip(message)


def require_client(program: str) -> str:
    """The path of a real client program (soffice, chromium, pdftotext) that a test checks output
    with; missing, see skip_or_fail (.ci/run installs the client)."""
    found = shutil.which(program)
    if found is None:
        skip_or_fail(f"{program} is not installed (Debian: see .ci/run)")
    return found


def _fail_skips_under_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    if under_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every test must run: {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport() -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Under CI=true any skip (a skipif mark too) is a failure: CI runs the whole suite."""
    report = yield
    _fail_skips_under_ci(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report() -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """The same for a whole module skipped while it is collected (pytest.importorskip)."""
    report = yield
    _fail_skips_under_ci(report)
    return report


@pytest.fixture(autouse=True, scope="session")
def _private_returns_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One returns key for the session, never the real ~/.config/cheplan/returns-key; set before
    any fixture of a wider scope exports a workbook (a test that needs another key sets its own)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHEPLAN_RETURNS_KEY_FILE", str(tmp_path_factory.mktemp("returns-key") / "returns-key"))
        yield


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test depends on the caller's environment, terminal or cache."""
    for name in (
        "CHEPLAN_PLAN",
        "CHEPLAN_REGISTER",
        "GITHUB_ACTIONS",
        "NO_COLOR",
        "CHEPLAN_DEBUG",
        "CHEPLAN_CACHE_DIR",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CHEPLAN_NO_CACHE", "1")
    monkeypatch.setenv("COLUMNS", "80")
    # A child `python -m cheplan` imports this checkout, wherever it runs and whether or not
    # the package is installed.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))


def base_action(action_id: int, **fields: Any) -> dict[str, Any]:
    action: dict[str, Any] = {
        "id": action_id,
        "theme": "governance",
        "action": f"Action number {action_id}.",
        "outcomes": "Something better.",
        "lead": ["LBS Community Safety & Partnerships"],
        "start": "2020-04",
        "end": "2021-03",
        "recommendations": ["SELR-1"],
        "status": "not_reported",
    }
    action.update(fields)
    return action


BASE_PLAN: dict[str, Any] = {
    "schema_version": 1,
    "plan": {
        "title": "Test plan",
        "board": "Test board",
        "approved": {"by": "Cabinet", "date": "2020-04-07"},
        "period": {"start": "2020-04", "end": "2021-03"},
        "source": "A test fixture",
        "recommendation_key": [
            {"code": "SELR", "name": "Southwark Extended Learning Review"},
            {"code": "JSNA", "name": "Joint Strategic Needs Assessment"},
            {"code": "SSYVP", "name": "Southwark Serious Youth Violence Panel"},
            {"code": "LVRU", "name": "London Violence Reduction Unit"},
        ],
    },
    "themes": [
        {"id": "governance", "title": "GOVERNANCE", "description": "How we work."},
        {"id": "enforcement", "title": "ENFORCEMENT", "description": "Targeting lawbreakers."},
    ],
    "actions": [base_action(1)],
}


def plan_data(actions: list[dict[str, Any]] | None = None, **top: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_PLAN)
    if actions is not None:
        data["actions"] = actions
    data.update(top)
    return data


MakePlan = Callable[..., Path]


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Patch `owner.name` (a function) to count its calls; the list grows by one per call."""
    calls: list[int] = []
    real = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private validation cache, switched on (the autouse fixture above turns caching off)."""
    directory = tmp_path / "cache"
    monkeypatch.delenv("CHEPLAN_NO_CACHE")
    monkeypatch.setenv("CHEPLAN_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def make_plan(tmp_path: Path) -> MakePlan:
    """Write a small plan (valid unless told otherwise) and return its path."""
    counter = iter(range(1_000_000))

    def make(actions: list[dict[str, Any]] | None = None, *, text: str | None = None, **top: Any) -> Path:
        path = tmp_path / f"plan_{next(counter)}.yaml"
        if text is None:
            text = yaml.safe_dump(plan_data(actions, **top), sort_keys=False, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return path

    return make


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


RunCli = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run `cheplan ARGS...` in-process; returns exit code, stdout and stderr."""

    def run(*args: str | Path) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err, out + err
        return Result(code, out, err)

    return run
