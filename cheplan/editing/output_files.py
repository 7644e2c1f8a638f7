"""Files cheplan writes for people (`--out`: reports, workbooks, calendars, schemas): whole or not at all.

A board report or a partner's workbook is opened by someone else, often from a shared
folder, sometimes while a new one is being written. So each is written to a temporary file
beside it, synced, and renamed over the old one: a reader sees the old file or the new one,
never half of either, and a failed write leaves the old file as it was. A symbolic link at
the name is replaced, not followed (as `sed -i` does): a link planted in a shared folder
cannot make cheplan overwrite the file it points to. An existing file keeps its mode. A FIFO
or a device (`--out /dev/stdout`) is a stream, not a file: it is written to directly.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from cheplan.domain.errors import UsageError
from cheplan.editing.files import sync_directory, temp_name

_NEW_FILE_MODE = 0o666  # less the umask, as any new file


def write_output(target: Path, data: bytes, *, name: str, option: str = "--out") -> None:
    """Replace `target` with `data` atomically; `name` is how messages show the path."""
    try:
        status: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc})") from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise UsageError(f"{option}: {name} is a directory; give a file name")
    if status is not None and (stat.S_ISFIFO(status.st_mode) or stat.S_ISCHR(status.st_mode)):
        _write_stream(target, data, name=name, option=option)
        return
    mode = stat.S_IMODE(status.st_mode) if status is not None and stat.S_ISREG(status.st_mode) else None
    _replace(target, data, mode, name=name, option=option)


def _write_stream(target: Path, data: bytes, *, name: str, option: str) -> None:
    try:
        with open(target, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc})") from None


def _replace(target: Path, data: bytes, mode: int | None, *, name: str, option: str) -> None:
    temporary = target.parent / temp_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(temporary, flags, _NEW_FILE_MODE)
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc})") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise UsageError(f"{option}: cannot write {name} ({exc.strerror or exc}); nothing was changed") from None
        raise
    sync_directory(target.parent)
