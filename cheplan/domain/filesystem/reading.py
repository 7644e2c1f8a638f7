"""The safe reads: a regular file under the size cap, or a clear refusal; never a wait.

A file is opened without blocking (a FIFO would otherwise wait for a writer for ever) and what
it is comes from fstat of that open file, so a directory, a pipe or a device (/dev/zero,
/dev/null) is refused at once, by name, and what is read is what was checked.

Files in the cache directory may have been planted there, so `read_own` reads one only if it
is a regular file this user owns, opened without following a symbolic link, under the
caller's cap, all checked before a byte is read; anything else is simply not there (None).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from cheplan.domain import caps
from cheplan.domain.errors import CheplanError, UnreadableInputError

_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOT_A_FILE = (
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISFIFO, "is a pipe (FIFO), not a file; cheplan reads regular files only"),
    (stat.S_ISCHR, "is a device, not a file; cheplan reads regular files only"),
    (stat.S_ISBLK, "is a device, not a file; cheplan reads regular files only"),
    (stat.S_ISSOCK, "is a socket, not a file; cheplan reads regular files only"),
)
NotRegular = Callable[[str, int], CheplanError]
"""Makes the error for a path (as shown) that is not a regular file, given its mode."""


def _not_a_file(display: str, mode: int) -> CheplanError:
    for test, what in _NOT_A_FILE:
        if test(mode):
            return UnreadableInputError(f"{display}: {what}")
    return UnreadableInputError(f"{display}: not a regular file; cheplan reads regular files only")


def open_regular(path: Path, display: str, *, not_regular: NotRegular = _not_a_file) -> int:
    """A blocking descriptor open for reading on the regular file at `path`, else a clear error."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise UnreadableInputError(f"{display}: no such file") from None
    except IsADirectoryError:
        raise not_regular(display, stat.S_IFDIR) from None
    except PermissionError:
        raise UnreadableInputError(f"{display}: permission denied") from None
    except OSError as exc:
        raise UnreadableInputError(f"{display}: cannot be read ({exc.strerror})") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise not_regular(display, mode)
        os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def too_big(display: str, size: int | None = None) -> UnreadableInputError:
    if size is None:
        return UnreadableInputError(
            f"{display}: more than {caps.MAX_FILE_BYTES:,} bytes; cheplan reads plans up to that"
        )
    return UnreadableInputError(f"{display}: file is {size:,} bytes; cheplan reads plans up to {caps.MAX_FILE_BYTES:,}")


def read_regular(path: Path, display: str) -> bytes:
    """The bytes of the regular file at `path`, at most the size cap; else UnreadableInputError."""
    descriptor = open_regular(path, display)
    try:
        return read_descriptor(descriptor, display)
    finally:
        os.close(descriptor)


def read_descriptor(descriptor: int, display: str) -> bytes:
    """The whole of an open regular file, from its start, refused past the size cap.

    The size is checked before reading; then at most one byte past it is read, in case the
    file grew after fstat (asking for the cap at once would allocate 64 MiB for a small file).
    """
    limit = caps.MAX_FILE_BYTES
    chunks: list[bytes] = []
    size = 0
    try:
        expected = os.fstat(descriptor).st_size
        if expected > limit:
            raise too_big(display, expected)
        while chunk := os.pread(descriptor, max(expected + 1 - size, 1 << 20), size):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise too_big(display)
    except OSError as exc:
        raise UnreadableInputError(f"{display}: cannot be read ({exc.strerror})") from None
    return b"".join(chunks)


_OWN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def read_own(path: Path, max_bytes: int, *, private: bool = False) -> bytes | None:
    """The bytes of a regular file owned by this user and at most `max_bytes` long, else None.

    With `private`, the file must also be unreadable by anyone else (a secret key).
    """
    try:
        descriptor = os.open(path, _OWN_FLAGS)
    except OSError:
        return None  # missing, a symbolic link (ELOOP), or not ours to read
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_size > max_bytes:
            return None
        if private and info.st_mode & 0o077:
            return None
        chunks = []
        remaining = info.st_size + 1  # one more byte shows a file that grew after fstat
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) <= max_bytes else None
    except OSError:
        return None
    finally:
        os.close(descriptor)


def is_own_file(path: Path) -> bool:
    """Whether `path` itself (not a link's target) is a regular file this user owns."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()


def names_in(folder: Path) -> list[str]:
    """The names in `folder`, sorted; none if it cannot be listed."""
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def is_folder(path: Path) -> bool:
    return os.path.isdir(path)


def status_of(path: Path) -> os.stat_result | None:
    """What `path` is (a link followed), or None if it cannot be looked at."""
    try:
        return os.stat(path)
    except OSError:
        return None
