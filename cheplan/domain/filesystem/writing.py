"""The one atomic write: a reader sees the old file or the new one, never half of either.

The new content goes to a temporary file beside the target (so the rename stays on one file
system), which is given the old file's owner, group and mode (set-id bits dropped: a file
cheplan wrote is never set-id), synced, and renamed over the target; then the directory is
synced, so the rename itself survives a power cut. On any failure the temporary file is
removed and the target is as it was. Failures are OSErrors, for the caller to word.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from cheplan.domain.filesystem.temporary import temp_path

NEW_FILE_MODE = 0o666  # less the umask, as any new file
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class OwnerNotKept(PermissionError):
    """The new file could not be given the old one's owner and group."""


def replace_atomically(
    target: Path,
    payload: bytes | Iterable[bytes],
    *,
    mode: int | None = None,
    owner: tuple[int, int] | None = None,
    new_mode: int = NEW_FILE_MODE,
    durable: bool = True,
) -> None:
    """Replace `target` (never followed: a link at the name is replaced) with `payload` (or its
    pieces, in order).

    `mode` and `owner` (uid, gid): what the new file is given, the old file's as a rule; set-id
    bits are dropped. Without `mode`, a new file gets `new_mode` less the umask. `durable=False`
    skips the syncs, for files whose loss in a power cut only costs time (a cache entry that
    fails its check is rebuilt).
    """
    temporary = temp_path(target)
    # A file whose mode is set afterwards starts private: never more open than meant, even briefly.
    descriptor = os.open(temporary, _CREATE_FLAGS, new_mode if mode is None else 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if owner is not None:
                _take_owner(handle.fileno(), owner)
            if mode is not None:  # after chown, which may clear set-id bits
                os.fchmod(handle.fileno(), stat.S_IMODE(mode) & 0o777)
            for piece in [payload] if isinstance(payload, bytes) else payload:
                handle.write(piece)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if durable:
        sync_directory(target.parent)


def write_new(path: Path, payload: bytes) -> None:
    """A new file at `path` (never an existing one, never through a link), synced; removed again
    if it cannot be written whole."""
    descriptor = os.open(path, _CREATE_FLAGS, NEW_FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        raise


def create_exclusively(target: Path, payload: bytes, mode: int = 0o600) -> bool:
    """Put a new file with `payload` at `target` (`mode`, 0600 unless told, synced first), never
    replacing one already there. Returns whether this call made it: of two first writers, one
    wins whole, and no reader ever sees a part of it."""
    temporary = temp_path(target)
    descriptor = os.open(temporary, _CREATE_FLAGS, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            # Synced before it is linked into place: after a power cut an empty file there
            # would stand for good, since an existing file is never replaced.
            os.fsync(handle.fileno())
        try:
            os.link(temporary, target)
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _take_owner(descriptor: int, owner: tuple[int, int]) -> None:
    if hasattr(os, "fchown") and owner != owner_of(descriptor):
        try:
            os.fchown(descriptor, *owner)
        except PermissionError as exc:
            raise OwnerNotKept(exc.errno, exc.strerror) from None


def owner_of(descriptor: int) -> tuple[int, int]:
    status = os.fstat(descriptor)
    return status.st_uid, status.st_gid


def can_give_back(status: os.stat_result) -> bool:
    """Whether a new file written by this process can have the old file's owner and group."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - not POSIX
        return True
    euid = os.geteuid()
    if euid == 0:
        return True
    return status.st_uid == euid and (status.st_gid == os.getegid() or status.st_gid in os.getgroups())


def sync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable where the platform allows it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
