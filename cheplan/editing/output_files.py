"""Files cheplan writes for people (`--out`: reports, workbooks, calendars, schemas): whole or not at all.

A board report or a partner's workbook is opened by someone else, often from a shared
folder, sometimes while a new one is being written. So each is written to a temporary file
beside it, synced, and renamed over the old one: a reader sees the old file or the new one,
never half of either, and a failed write leaves the old file as it was. A symbolic link at
the name is replaced, not followed (as `sed -i` does): a link planted in a shared folder
cannot make cheplan overwrite the file it points to. An existing file keeps its mode (set-id
bits aside), and a read-only one is refused, as `cp` would. A FIFO or a device, or a link to
one (`--out /dev/stdout`), is a stream, not a file: it is written to directly, never created.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from cheplan.domain.errors import UsageError
from cheplan.editing.files import fill_and_rename, temp_name

_NEW_FILE_MODE = 0o666  # less the umask, as any new file
_NAME_MAX = 255  # bytes in one file name on the usual file systems; the temporary name must fit too


def write_output(target: Path, data: bytes, *, name: str, option: str = "--out") -> None:
    """Replace `target` with `data` atomically; `name` is how messages show the path."""
    status = _status(target, follow=False, name=name, option=option)
    if status is not None and stat.S_ISLNK(status.st_mode):
        # A link to a pipe or a terminal (`/dev/stdout`) is a way to name that stream.
        pointed = _status(target, follow=True, name=name, option=option)
        if pointed is not None and _is_stream(pointed):
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
        mode = stat.S_IMODE(status.st_mode) & 0o777  # never set-id bits on a file cheplan wrote
    _replace(target, data, mode, name=name, option=option)


def _status(target: Path, *, follow: bool, name: str, option: str) -> os.stat_result | None:
    try:
        return os.stat(target) if follow else os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc})") from None


def _is_stream(status: os.stat_result) -> bool:
    return stat.S_ISFIFO(status.st_mode) or stat.S_ISCHR(status.st_mode)


def _write_stream(target: Path, data: bytes, *, name: str, option: str) -> None:
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
            handle.write(data)
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc})") from None
    finally:
        os.close(descriptor)


def _temporary(target: Path) -> Path:
    """Beside the target, named after it; a long name is shortened so the temporary one fits."""
    temporary = target.parent / temp_name(target)
    excess = len(os.fsencode(temporary.name)) - _NAME_MAX
    if excess > 0:
        short = os.fsencode(target.name)[: max(1, len(os.fsencode(target.name)) - excess)]
        temporary = target.parent / temp_name(target.with_name(os.fsdecode(short)))
    return temporary


def _replace(target: Path, data: bytes, mode: int | None, *, name: str, option: str) -> None:
    temporary = _temporary(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(temporary, flags, _NEW_FILE_MODE)
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc})") from None
    keep_mode = None if mode is None else (lambda fd: os.fchmod(fd, mode))
    try:
        fill_and_rename(descriptor, temporary, target, data, prepare=keep_mode)
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc}); nothing was changed") from None
