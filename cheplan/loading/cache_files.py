"""The validation cache's file handling: only files this user made are ever read.

Whatever sits in the cache directory may have been planted there, so nothing is read by
name alone. A file is opened without following a symbolic link (O_NOFOLLOW) and without
waiting on a writer (O_NONBLOCK: a FIFO opens at once), then fstat decides: it must be a
regular file, owned by the current user, and no bigger than the caller's cap, all checked
before a byte is read. The directory itself must be this user's and writable by no one
else; cheplan creates it 0700.

The secret key that authenticates entries is 32 random bytes in `key`, 0600, created
without ever replacing a file that is already there.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

KEY_NAME = "key"
KEY_BYTES = 32
TEMP_PREFIX = ".tmp-"
# A temporary file this old was left by a write that was interrupted (killed, power cut):
# no write takes an hour, so removing it can never break one under way.
STALE_TEMP_SECONDS = 3600

_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def read_trusted(path: Path, max_bytes: int, *, private: bool = False) -> bytes | None:
    """The bytes of a regular file owned by this user and at most `max_bytes` long, else None.

    With `private`, the file must also be unreadable by anyone else (the key).
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None  # missing, a symbolic link (ELOOP), or not ours to read
    try:
        info = os.fstat(fd)
        if not _trusted(info, max_bytes, private=private):
            return None
        chunks = []
        remaining = info.st_size + 1  # one more byte shows a file that grew after fstat
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) <= max_bytes else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _trusted(info: os.stat_result, max_bytes: int, *, private: bool) -> bool:
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_size > max_bytes:
        return False
    return not (private and info.st_mode & 0o077)


def is_own_file(path: Path) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()


def touch(path: Path) -> None:
    """Mark an entry as just used, so pruning (oldest use first) keeps it."""
    with contextlib.suppress(OSError):
        os.utime(path, follow_symlinks=False)


def usable_directory(directory: Path, *, create: bool) -> bool:
    """Whether `directory` is this user's and writable by no one else (created 0700 if asked)."""
    if create:
        with contextlib.suppress(OSError):
            directory.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            directory.mkdir(mode=0o700)
    try:
        info = directory.stat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


def secret_key(directory: Path, *, create: bool, name: str = KEY_NAME) -> bytes | None:
    """This user's key `name` in `directory`, made on first write; None if unusable."""
    path = directory / name
    key = read_trusted(path, KEY_BYTES, private=True)
    if key is not None and len(key) == KEY_BYTES:
        return key
    if not create or key is not None:
        return None  # a short key was not written by cheplan: the cache stays unused
    try:
        # Synced before it is linked into place: after a power cut, an empty key would leave the
        # cache unused for good (a short key is never replaced: cheplan did not write it).
        temporary = write_temporary(directory, os.urandom(KEY_BYTES), sync=True)
    except OSError:
        return None
    try:
        os.link(temporary, path)  # never replaces: of two first writers, one key wins
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    key = read_trusted(path, KEY_BYTES, private=True)
    return key if key is not None and len(key) == KEY_BYTES else None


def write_temporary(directory: Path, payload: bytes | Iterable[bytes], *, sync: bool = False) -> Path:
    """A new 0600 file in `directory` holding `payload` (or its pieces, in order), ready to be
    renamed into place; with `sync`, on disk before it is."""
    import tempfile

    fd, name = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX)  # 0600, O_EXCL
    try:
        with os.fdopen(fd, "wb") as out:
            for piece in [payload] if isinstance(payload, bytes) else payload:
                out.write(piece)
            if sync:
                out.flush()
                os.fsync(out.fileno())
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def write_atomically(path: Path, payload: bytes | Iterable[bytes]) -> None:
    temporary = write_temporary(path.parent, payload)
    try:
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# Only names cheplan itself gives are ever removed: CHEPLAN_CACHE_DIR may point at a folder
# that holds the user's own files too. Entries are a prefix and a BLAKE2b hex digest; temporary
# files are tempfile.mkstemp's TEMP_PREFIX and eight characters.
_DIGEST_NAME = re.compile(r"[0-9a-f]{64}")
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"[a-z0-9_]{8}")


def prune(directory: Path, prefix: str, keep: int) -> None:
    """Keep the `keep` most recently used entries named `prefix...`; drop stale temporary files."""
    entries = []
    now = time.time()
    uid = os.getuid()
    for entry in os.scandir(directory):
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != uid:
                continue
            if entry.name.startswith(prefix) and _DIGEST_NAME.fullmatch(entry.name, len(prefix)):
                entries.append((info.st_mtime, entry.path))
            elif _TEMP_NAME.fullmatch(entry.name) and now - info.st_mtime > STALE_TEMP_SECONDS:
                os.unlink(entry.path)
    if len(entries) <= keep:
        return
    entries.sort(reverse=True)
    for _, stale in entries[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(stale)
