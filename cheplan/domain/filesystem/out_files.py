"""Files cheplan writes for people (`--out`: reports, workbooks, calendars, schemas): whole or not at all.

A board report or a partner's workbook is opened by someone else, often from a shared
folder, sometimes while a new one is being written. So each is written atomically
(writing.py): a reader sees the old file or the new one, never half of either, and a failed
write leaves the old file as it was. A symbolic link at the name is replaced, not followed (as
`sed -i` does): a link planted in a shared folder cannot make cheplan overwrite the file it
points to. An existing file keeps its mode (set-id bits aside), and a read-only one is
refused, as `cp` would.

A stream is written to, never replaced: a FIFO or a device, or a link to one. So is this
process's own standard output or error, however it is named: `--out /dev/stdout` with the
output redirected to a file is a link (through /proc/self/fd/1) to that regular file, and
the output goes to the descriptor the shell opened, where it would have gone without
`--out`, instead of replacing the link (as root, the real /dev/stdout) with a file.

A set of files (`returns export`'s workbooks) is all or nothing: each is written to a hidden
folder inside the target folder (the same file system), and only when every one is there,
and every name it will take has been checked, are they moved in.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from cheplan.domain.errors import UsageError
from cheplan.domain.filesystem.temporary import STALE_TEMP_SECONDS, remove_folder, remove_stale_temps, temp_name
from cheplan.domain.filesystem.writing import replace_atomically, sync_directory, write_new

_STANDARD_STREAMS = (1, 2)


def write_output(target: Path, data: bytes | Iterable[bytes], *, name: str, option: str = "--out") -> None:
    """Replace `target` with `data` (or its pieces, in order: a large output is never whole in
    memory) atomically, or write a stream it names; `name` is how messages show the path."""
    status = _status(target, follow=False, name=name, option=option)
    if status is not None and stat.S_ISLNK(status.st_mode):
        pointed = _status(target, follow=True, name=name, option=option)
        own = None if pointed is None else _own_stream(pointed)
        if own is not None:
            _write_own_stream(own, data, name=name, option=option)
            return
        if pointed is not None and _is_stream(pointed):  # a link to a pipe or a terminal names that stream
            _write_stream(target, data, name=name, option=option)
            return
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise UsageError(f"{option}: {name} is a directory; give a file name")
    if status is not None and _is_stream(status):
        _write_stream(target, data, name=name, option=option)
        return
    mode = None
    if status is not None and stat.S_ISREG(status.st_mode):
        if not status.st_mode & 0o222:
            raise UsageError(f"{option}: {name} is read-only; make it writable or write to another file")
        mode = status.st_mode
    try:
        replace_atomically(target, data, mode=mode)
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc}); nothing was changed") from None


def _status(target: Path, *, follow: bool, name: str, option: str) -> os.stat_result | None:
    try:
        return os.stat(target) if follow else os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc})") from None


def _is_stream(status: os.stat_result) -> bool:
    return stat.S_ISFIFO(status.st_mode) or stat.S_ISCHR(status.st_mode)


def _own_stream(pointed: os.stat_result) -> int | None:
    """This process's standard output or error, if that is what a link leads to."""
    for descriptor in _STANDARD_STREAMS:
        try:
            own = os.fstat(descriptor)
        except OSError:
            continue
        if (own.st_dev, own.st_ino) == (pointed.st_dev, pointed.st_ino):
            return descriptor
    return None


def _pieces(data: bytes | Iterable[bytes]) -> Iterable[bytes]:
    return [data] if isinstance(data, bytes) else data


def _write_own_stream(descriptor: int, data: bytes | Iterable[bytes], *, name: str, option: str) -> None:
    """Through the descriptor itself: after what was printed before, in its mode (appending)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed or failing: its own writer says so
            stream.flush()
    try:
        for piece in _pieces(data):
            view = memoryview(piece)
            while view:
                view = view[os.write(descriptor, view) :]
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc})") from None


def _write_stream(target: Path, data: bytes | Iterable[bytes], *, name: str, option: str) -> None:
    """Write to a pipe or a device already there: never created, never truncated, and a pipe
    nobody reads from is an error at once instead of a wait for ever."""
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        reason = "nothing is reading from it" if exc.errno == errno.ENXIO else exc.strerror or str(exc)
        raise UsageError(f"{option}: cannot write {name} ({reason})") from None
    try:
        if not _is_stream(os.fstat(descriptor)):  # replaced by something else since it was looked at
            raise UsageError(f"{option}: {name} changed while it was being opened; nothing was written")
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "wb", closefd=False) as handle:
            for piece in _pieces(data):
                handle.write(piece)
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc})") from None
    finally:
        os.close(descriptor)


class OutputSet:
    """Files staged in a hidden folder, to be moved into the target folder together."""

    def __init__(self, directory: Path, staging: Path, option: str) -> None:
        self.directory = directory
        self.staging = staging
        self.option = option
        self.staged: dict[str, str] = {}  # file name -> how messages show its final path

    def add(self, file_name: str, data: bytes, *, name: str) -> None:
        """Stage `data` as `file_name`; `name` is how messages show its final path."""
        try:
            write_new(self.staging / file_name, data)
        except OSError as exc:
            raise UsageError(
                f"{self.option}: cannot write {name} ({exc.strerror or exc}); nothing was written"
            ) from None
        self.staged[file_name] = name

    def move_in(self) -> None:
        """Check every name first (a refusal then leaves the folder as it was), then rename."""
        modes = {file_name: self._mode_for(file_name, name) for file_name, name in self.staged.items()}
        for file_name, mode in modes.items():
            staged = self.staging / file_name
            try:
                if mode is not None:
                    os.chmod(staged, stat.S_IMODE(mode) & 0o777)
                os.replace(staged, self.directory / file_name)
            except OSError as exc:
                name = self.staged[file_name]
                raise UsageError(f"{self.option}: cannot write {name} ({exc.strerror or exc})") from None
        sync_directory(self.directory)

    def _mode_for(self, file_name: str, name: str) -> int | None:
        """The mode the file there has (kept), None if there is none; a refusal if it cannot be replaced."""
        status = _status(self.directory / file_name, follow=False, name=name, option=self.option)
        if status is None or stat.S_ISLNK(status.st_mode):
            return None  # a link is replaced, never followed
        if stat.S_ISREG(status.st_mode):
            if not status.st_mode & 0o222:
                raise UsageError(f"{self.option}: {name} is read-only; make it writable or write to another folder")
            return status.st_mode
        kind = "a directory" if stat.S_ISDIR(status.st_mode) else "not a regular file"
        raise UsageError(f"{self.option}: {name} is {kind}; nothing was written")


@contextlib.contextmanager
def output_set(directory: Path, *, name: str, option: str = "--out") -> Iterator[OutputSet]:
    """Write a set of files into `directory` (created if missing; `name` is how messages show
    it) all or nothing: files added in the block are moved in together when it ends, and none
    if it raises."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{option}: {name} is a file, not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # A set a killed run was staging, over an hour ago: never moved in, so never wanted.
        remove_stale_temps(directory, target_name=directory.name, older_than=STALE_TEMP_SECONDS, folders=True)
        staging = directory / temp_name(directory)
        staging.mkdir(mode=0o700)
    except OSError as exc:
        raise UsageError(f"{option}: cannot create {name} ({exc.strerror or exc})") from None
    try:
        outputs = OutputSet(directory, staging, option)
        yield outputs
        outputs.move_in()
    finally:
        remove_folder(staging)
