"""`--out` files (reports, workbooks, calendars, schemas) are written whole or not at all."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from cheplan.domain.errors import UsageError
from cheplan.domain.filesystem.out_files import write_output
from tests.conftest import REPO, SHIPPED_PLAN, RunCli


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if ".cheplan-tmp-" in p.name)


def test_a_new_file_gets_the_bytes_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    write_output(target, b"<p>new</p>", name="report.html")
    assert target.read_bytes() == b"<p>new</p>"
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_replaced_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"old and longer than the new text")
    target.chmod(0o640)
    write_output(target, b"new", name="report.html")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_planted_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"someone else's file")
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "returns-mps-southwark.xlsx").symlink_to(victim)
    write_output(shared / "returns-mps-southwark.xlsx", b"workbook", name="returns-mps-southwark.xlsx")
    assert victim.read_bytes() == b"someone else's file"
    assert not (shared / "returns-mps-southwark.xlsx").is_symlink()
    assert (shared / "returns-mps-southwark.xlsx").read_bytes() == b"workbook"


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"the report the board has")

    def full_disk(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(UsageError, match=r"\(No space left on device\); nothing was changed"):
        write_output(target, b"half", name="report.html")
    assert target.read_bytes() == b"the report the board has"
    assert leftovers(tmp_path) == []


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a directory"):
        write_output(tmp_path, b"x", name="out")


def test_a_fifo_is_written_to_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader must exist, or opening for writing blocks
    try:
        write_output(fifo, b"streamed", name="pipe")
        assert os.read(reader, 100) == b"streamed"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_fifo_nobody_reads_is_an_error_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match=r"cannot write pipe \(nothing is reading from it\)"):
        write_output(fifo, b"x", name="pipe")


def test_a_link_to_a_stream_is_written_through_and_kept(tmp_path: Path) -> None:
    # As `--out /dev/stdout` is: a link to the process's own output.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "stdout"
    link.symlink_to(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_output(link, b"streamed", name="stdout")
        assert os.read(reader, 100) == b"streamed"
    finally:
        os.close(reader)
    assert link.is_symlink()


def test_a_read_only_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "approved.html"
    target.write_bytes(b"as the board approved it")
    target.chmod(0o444)
    with pytest.raises(UsageError, match=r"approved\.html is read-only"):
        write_output(target, b"new", name="approved.html")
    assert target.read_bytes() == b"as the board approved it"


def test_set_id_bits_are_not_carried_over(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"old")
    target.chmod(0o6755)
    write_output(target, b"new", name="report.html")
    assert stat.S_IMODE(target.stat().st_mode) == 0o755


def test_a_name_as_long_as_the_system_allows_is_written(tmp_path: Path) -> None:
    target = tmp_path / ("r" * 250 + ".md")
    write_output(target, b"long", name="long")
    assert target.read_bytes() == b"long"
    assert leftovers(tmp_path) == []


def test_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"cannot write report.html \(No such file or directory\)"):
        write_output(tmp_path / "missing" / "report.html", b"x", name="report.html")


@pytest.mark.parametrize(
    "command",
    [
        ["report", "-f", "markdown", "--as-of", "2020-10-01", "--out"],
        ["calendar", "--as-of", "2020-10-01", "--out"],
        ["schema", "plan", "--out"],
    ],
)
def test_every_out_option_replaces_a_planted_symlink(cli: RunCli, tmp_path: Path, command: list[str]) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    out = tmp_path / "out.file"
    out.symlink_to(victim)
    args = [*command, out] if command[0] == "schema" else [*command, out, "--plan", SHIPPED_PLAN]
    result = cli(*args)
    assert result.code == 0, result.stderr
    assert victim.read_bytes() == b"keep me"
    assert not out.is_symlink()
    assert out.stat().st_size > 0


def test_returns_export_replaces_a_planted_symlink(cli: RunCli, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    out = tmp_path / "exports"
    out.mkdir()
    (out / "returns-mps-southwark.xlsx").symlink_to(victim)
    lead = ["--lead", "mps-southwark"]
    result = cli("returns", "export", "--out", out, "--plan", SHIPPED_PLAN, "--as-of", "2020-10-01", *lead)
    assert result.code == 0, result.stderr
    assert victim.read_bytes() == b"keep me"
    assert (out / "returns-mps-southwark.xlsx").read_bytes()[:2] == b"PK"


def run_with_stdout(stdout: IO[bytes], *args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """`cheplan ARGS` in a child whose standard output is `stdout`, as a shell redirect makes it."""
    env = {**os.environ, "CHEPLAN_NO_CACHE": "1", "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "cheplan", *map(str, args)]
    return subprocess.run(command, env=env, stdout=stdout, stderr=subprocess.PIPE, timeout=60, check=False)


# Planted links only: a regression must never replace the real /dev/stdout (as root it could).
@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
@pytest.mark.parametrize("mode", ["wb", "ab"])
def test_out_through_a_link_to_dev_stdout_reaches_the_redirected_file(tmp_path: Path, mode: str) -> None:
    link = tmp_path / "stdout"
    link.symlink_to("/dev/stdout")
    redirected = tmp_path / "captured.json"
    redirected.write_bytes(b"already there\n")
    with redirected.open(mode) as stdout:
        done = run_with_stdout(stdout, "schema", "plan", "--out", link)
    assert done.returncode == 0, done.stderr
    kept = b"already there\n" if mode == "ab" else b""
    written = redirected.read_bytes()
    assert written.startswith(kept + b"{")
    assert b'"$schema"' in written
    assert link.is_symlink()
    assert os.readlink(link) == "/dev/stdout"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_out_naming_the_process_own_descriptor_writes_to_it(tmp_path: Path) -> None:
    redirected = tmp_path / "captured.ics"
    with redirected.open("wb") as stdout:
        done = run_with_stdout(
            stdout, "calendar", "--as-of", "2020-10-01", "--plan", SHIPPED_PLAN, "--out", "/proc/self/fd/1"
        )
    assert done.returncode == 0, done.stderr
    assert redirected.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_out_through_a_link_to_stdout_as_a_pipe_writes_to_the_pipe(tmp_path: Path) -> None:
    link = tmp_path / "stdout"
    link.symlink_to("/dev/stdout")
    done = run_with_stdout(subprocess.PIPE, "schema", "plan", "--out", link)  # type: ignore[arg-type]
    assert done.returncode == 0, done.stderr
    assert b'"$schema"' in done.stdout
    assert link.is_symlink()


def test_a_link_to_a_character_device_is_written_to_and_kept(tmp_path: Path) -> None:
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    write_output(link, b"discarded", name="null")
    assert link.is_symlink()
    assert os.readlink(link) == os.devnull
    assert stat.S_ISCHR(os.stat(link).st_mode)
