"""A FIFO, a device or a directory given as the plan or a register is refused at once with
exit 2 and a message naming it, in every command. Each run is a separate process
with a timeout, because the failure being guarded against is a hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cheplan.domain.errors import UnreadableInputError
from cheplan.loading.files import read_text
from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER

KINDS = {
    "fifo": "is a pipe (FIFO), not a file",
    "dev-zero": "is a device, not a file",
    "dev-null": "is a device, not a file",
    "directory": "is a directory, not a file",
}


def not_a_file(kind: str, tmp_path: Path) -> Path:
    if kind == "fifo":
        path = tmp_path / "plan.yaml"
        os.mkfifo(path)
        return path
    if kind == "directory":
        return tmp_path
    return Path("/dev/zero" if kind == "dev-zero" else "/dev/null")


def command(name: str, plan: Path, register: Path) -> list[str]:
    if name == "validate":
        return ["validate", str(plan), "--register", str(register)]
    extra = ["--as-of", "2021-04-01"] if name == "overdue" else []
    return [name, *extra, "--plan", str(plan), "--register", str(register)]


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("name", ["validate", "overdue", "trace"])
@pytest.mark.parametrize("role", ["plan", "register"])
def test_not_a_regular_file_is_exit_2_at_once(kind: str, name: str, role: str, tmp_path: Path) -> None:
    bad = not_a_file(kind, tmp_path)
    plan, register = (bad, SHIPPED_REGISTER) if role == "plan" else (SHIPPED_PLAN, bad)
    done = subprocess.run(
        [sys.executable, "-m", "cheplan", *command(name, plan, register)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "CHEPLAN_NO_CACHE": "1"},
    )
    assert done.returncode == 2
    assert f"cheplan: error: {bad}: {KINDS[kind]}" in done.stderr
    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr


def test_a_fifo_with_a_writer_is_still_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer is there: nothing would block
    try:
        with pytest.raises(UnreadableInputError, match="FIFO"):
            read_text(fifo, "plan.yaml")
    finally:
        os.close(writer)


def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    link = tmp_path / "plan.yaml"
    link.symlink_to(SHIPPED_PLAN)
    assert read_text(link, "plan.yaml") == SHIPPED_PLAN.read_text(encoding="utf-8")
