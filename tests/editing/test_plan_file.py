"""`update` respects the file it edits: owner, group, mode, links, aliases, retries."""

from __future__ import annotations

import importlib.abc
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO

import pytest

from cheplan.domain.errors import WriteRefusedError
from cheplan.domain.filesystem.temporary import remove_stale_temps, temp_name
from cheplan.domain.model import ProgressEntry
from cheplan.editing.record import record_progress
from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER, MakePlan, RunCli, base_action

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
UPDATE = ("update", "5", "--status", "in_progress", "--note", "Partners met.", "--date", "2020-10-01")


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    shutil.copyfile(SHIPPED_PLAN, path)
    return path


def run_cheplan(*args: str | Path, stdout: int | IO[str] = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHEPLAN_NO_CACHE": "1"}
    command = [sys.executable, "-m", "cheplan", *map(str, args)]
    return subprocess.run(command, env=env, text=True, stdout=stdout, stderr=subprocess.PIPE, timeout=60, check=False)


@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
def test_owner_and_group_are_kept(cli: RunCli, plan_copy: Path) -> None:
    os.chown(plan_copy, 1234, 2345)
    plan_copy.chmod(0o664)
    assert cli(*UPDATE, "--plan", plan_copy).code == 0
    status = plan_copy.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (1234, 2345, 0o664)
    assert "Partners met." in plan_copy.read_text(encoding="utf-8")


def test_when_ownership_cannot_be_kept_nothing_is_written(
    cli: RunCli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = plan_copy.read_bytes()
    monkeypatch.setattr(
        "cheplan.domain.filesystem.writing.owner_of", lambda _: (-5, -5)
    )  # the new file is not the plan's

    def refuse(*_: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", refuse)
    result = cli(*UPDATE, "--plan", plan_copy)
    assert result.code == 1
    assert "owner" in result.stderr
    assert plan_copy.read_bytes() == before
    assert os.listdir(plan_copy.parent) == ["plan.yaml"]


@pytest.fixture
def shared_directory() -> Iterator[Path]:
    """A directory anyone may write in, as a shared drive is (pytest's own is private to root)."""
    directory = Path(tempfile.mkdtemp(prefix="cheplan-shared-"))
    directory.chmod(0o777)
    yield directory
    shutil.rmtree(directory)


class _NoImportsAsNobody(importlib.abc.MetaPathFinder):
    """After the switch to nobody, every import fails, as it would where the checkout (and its
    virtual environment) lies under a folder private to root, as in CI's 0700 clones. With this
    in place the test behaves the same wherever the checkout is."""

    def find_spec(self, name: str, *_: object) -> None:
        raise ImportError(f"{name} was imported only after the switch to nobody; import it before forking")


def as_nobody(work: Callable[[], object]) -> str:
    """Run `work` in a child switched to user nobody: what it raised (`Type: message`), or ''."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never back into pytest, whatever happens
        report = "the child did not report"
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            sys.meta_path.insert(0, _NoImportsAsNobody())
            work()
            report = ""
        except BaseException as exc:  # noqa: BLE001 - whatever the child met goes to the parent
            report = f"{type(exc).__name__}: {exc}"
        finally:
            os.write(write_end, report.encode("utf-8", "replace"))
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        report = reader.read().decode("utf-8")
    os.waitpid(pid, 0)
    return report


@pytest.fixture
def register_anyone_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The default register, copied where any user can read it: nobody cannot read the shipped
    one where the checkout lies under a private folder."""
    directory = Path(tempfile.mkdtemp(prefix="cheplan-register-"))
    directory.chmod(0o755)
    register = Path(shutil.copy(SHIPPED_REGISTER, directory / "register.yaml"))
    register.chmod(0o644)
    monkeypatch.setenv("CHEPLAN_REGISTER", str(register))
    yield register
    shutil.rmtree(directory)


@pytest.mark.skipif(not IS_ROOT or not hasattr(os, "fork"), reason="running as another user needs root")
@pytest.mark.usefixtures("register_anyone_reads")
def test_another_user_cannot_take_the_plan_over(shared_directory: Path, tmp_path: Path) -> None:
    plan = shared_directory / "plan.yaml"
    shutil.copyfile(SHIPPED_PLAN, plan)
    plan.chmod(0o666)  # writable by anyone, but owned by root
    before = plan.read_bytes()
    entry = ProgressEntry(date="2020-10-01", status="in_progress", note="Partners met.")
    # The same call, first as root on a copy, loads every module the child will need.
    warm_up = Path(shutil.copy(SHIPPED_PLAN, tmp_path / "plan.yaml"))
    record_progress(warm_up, [(5, entry)], registers=None, today=date(2021, 1, 1))

    report = as_nobody(lambda: record_progress(plan, [(5, entry)], registers=None, today=date(2021, 1, 1)))
    assert report.startswith(f"{WriteRefusedError.__name__}: "), report
    assert "belongs to user 0" in report
    assert plan.read_bytes() == before
    assert plan.stat().st_uid == 0
    assert os.listdir(shared_directory) == ["plan.yaml"]


def test_a_read_only_plan_is_refused_even_for_root(cli: RunCli, plan_copy: Path) -> None:
    plan_copy.chmod(0o444)
    before = plan_copy.read_bytes()
    result = cli(*UPDATE, "--plan", plan_copy)
    assert result.code == 1
    assert "read-only (mode 0444)" in result.stderr
    assert plan_copy.read_bytes() == before


def test_a_hard_link_is_never_silently_broken(cli: RunCli, plan_copy: Path) -> None:
    other = plan_copy.parent / "published.yaml"
    os.link(plan_copy, other)
    before = plan_copy.read_bytes()
    result = cli(*UPDATE, "--plan", plan_copy)
    assert result.code == 1
    assert "2 hard links" in result.stderr
    assert plan_copy.read_bytes() == other.read_bytes() == before
    assert plan_copy.stat().st_ino == other.stat().st_ino


ALIASED = """\
  - id: 1
    theme: governance
    action: Action number 1.
    outcomes: Something better.
    lead: [LBS Community Safety & Partnerships]
    start: "2020-04"
    end: "2021-03"
    recommendations: [SELR-1]
    status: planned
    progress: &shared
      - date: "2020-05-01"
        status: planned
  - id: 2
    theme: governance
    action: Action number 2.
    outcomes: Something better.
    lead: [LBS Community Safety & Partnerships]
    start: "2020-04"
    end: "2021-03"
    recommendations: [SELR-1]
    status: planned
    progress: *shared
"""


@pytest.mark.parametrize("action_id", ["1", "2"])
def test_an_update_never_changes_another_action_through_an_alias(
    cli: RunCli, make_plan: MakePlan, action_id: str
) -> None:
    plan = make_plan([base_action(9)])
    text = plan.read_text(encoding="utf-8")
    head = text[: text.index("actions:\n") + len("actions:\n")]
    plan.write_text(head + ALIASED, encoding="utf-8")
    assert cli("validate", plan).code == 0  # a valid plan: both actions share one log
    before = plan.read_bytes()
    result = cli("update", action_id, "-s", "in_progress", "--date", "2020-06-01", "-p", plan)
    assert result.code == 1
    assert "anchors or aliases" in result.stderr
    assert plan.read_bytes() == before


def test_an_entry_already_on_record_is_a_no_op_that_says_so(cli: RunCli, plan_copy: Path) -> None:
    assert cli(*UPDATE, "--by", "MPS", "--plan", plan_copy).code == 0
    written = plan_copy.read_bytes()
    again = cli(*UPDATE, "--by", "MPS", "--plan", plan_copy)
    assert again.code == 0
    assert (
        again.stdout
        == f"Action 5: in progress as of 2020-10-01 is already on record in {plan_copy}; nothing changed.\n"
    )
    assert plan_copy.read_bytes() == written


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_retry_after_output_failed_does_not_duplicate_the_entry(plan_copy: Path) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        first = run_cheplan(*UPDATE, "--plan", plan_copy, stdout=full)
    assert "Traceback" not in first.stderr
    assert "was updated, but the report could not be written" in first.stderr
    assert plan_copy.read_text(encoding="utf-8").count("Partners met.") == 1
    retry = run_cheplan(*UPDATE, "--plan", plan_copy)
    assert retry.returncode == 0, retry.stderr
    assert "already on record" in retry.stdout
    assert plan_copy.read_text(encoding="utf-8").count("Partners met.") == 1


def test_a_progress_date_after_today_is_a_usage_error(
    cli: RunCli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Today(date):
        @classmethod
        def today(cls) -> Today:
            return cls(2020, 11, 22)

    monkeypatch.setattr("cheplan.cli.commands.output.date", Today)
    before = plan_copy.read_bytes()
    result = cli("update", "1", "-s", "planned", "--date", "2031-11-22", "-p", plan_copy)
    assert result.code == 2
    assert "after today (2020-11-22)" in result.stderr
    assert plan_copy.read_bytes() == before
    assert cli("update", "1", "-s", "planned", "--date", "2020-11-22", "-p", plan_copy).code == 0


def test_temporary_files_left_by_interrupted_writes_are_cleaned_up(cli: RunCli, plan_copy: Path) -> None:
    directory = plan_copy.parent
    ours = [temp_name(plan_copy), ".plan.yaml.cheplan-tmp-99999999-0123abcd", ".plan.yaml.k2j4_x9q.tmp"]
    others = [".plan.yaml.swp", ".other.yaml.cheplan-tmp-1-0123abcd", "plan.yaml.bak"]
    for name in ours + others:
        (directory / name).write_text("half a plan", encoding="utf-8")
    result = cli(*UPDATE, "--plan", plan_copy)
    assert result.code == 0, result.stderr
    assert "removed 3 temporary file(s)" in result.stderr
    assert sorted(os.listdir(directory)) == sorted(["plan.yaml", *others])
    assert remove_stale_temps(directory, target_name=plan_copy.name) == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_or_directory_is_refused_at_once(cli: RunCli, tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    result = cli(*UPDATE, "--plan", fifo)  # would hang if opened for reading in blocking mode
    assert result.code == 2
    assert "not a regular file" in result.stderr
    result = cli(*UPDATE, "--plan", tmp_path)
    assert result.code == 2
    assert "is a directory" in result.stderr


def test_set_id_bits_are_dropped_and_the_rest_of_the_mode_kept(cli: RunCli, plan_copy: Path) -> None:
    plan_copy.chmod(0o6664)
    assert cli(*UPDATE, "--plan", plan_copy).code == 0
    assert stat.S_IMODE(plan_copy.stat().st_mode) == 0o664
