"""The cache directory: this user's, writable by no one else, and only its own files trusted.

Whatever sits in the cache directory may have been planted there, so nothing is read by name
alone (reading.read_own). The directory itself must be this user's and writable by no one
else; cheplan creates it 0700. The secret key that authenticates entries is 32 random bytes
in `key`, 0600, created without ever replacing a file that is already there.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from cheplan.domain.filesystem.reading import read_own
from cheplan.domain.filesystem.temporary import STALE_TEMP_SECONDS, remove_stale_temps
from cheplan.domain.filesystem.writing import create_exclusively, replace_atomically

KEY_NAME = "key"
KEY_BYTES = 32
# Only names cheplan itself gives are ever removed: CHEPLAN_CACHE_DIR may point at a folder
# that holds the user's own files too. Entries are a prefix and a BLAKE2b hex digest.
_DIGEST_NAME = re.compile(r"[0-9a-f]{64}")


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
    """This user's key `name` in `directory` (the cache's by default), made on first write; None if unusable."""
    path = directory / name
    key = read_own(path, KEY_BYTES, private=True)
    if key is not None and len(key) == KEY_BYTES:
        return key
    if not create or key is not None:
        return None  # a short key was not written by cheplan: the cache stays unused
    with contextlib.suppress(OSError):
        create_exclusively(path, os.urandom(KEY_BYTES))  # of two first writers, one key wins
    key = read_own(path, KEY_BYTES, private=True)
    return key if key is not None and len(key) == KEY_BYTES else None


def write_entry(path: Path, payload: bytes | Iterable[bytes]) -> None:
    """A cache entry (0600), replaced whole. Not synced: an entry cut short by a power cut
    fails its MAC, and only costs validating again."""
    replace_atomically(path, payload, new_mode=0o600, durable=False)


def touch(path: Path) -> None:
    """Mark an entry as just used, so pruning (oldest use first) keeps it."""
    with contextlib.suppress(OSError):
        os.utime(path, follow_symlinks=False)


def move(source: Path, target: Path) -> bool:
    """Rename an entry (from one pool to another); False if it could not be."""
    try:
        os.replace(source, target)
    except OSError:
        return False
    return True


def prune(directory: Path, prefix: str, keep: int) -> None:
    """Keep the `keep` most recently used entries named `prefix...`; drop stale temporary files."""
    entries = []
    uid = os.getuid()
    for entry in os.scandir(directory):
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != uid:
                continue
            if entry.name.startswith(prefix) and _DIGEST_NAME.fullmatch(entry.name, len(prefix)):
                entries.append((info.st_mtime, entry.path))
    remove_stale_temps(directory, older_than=STALE_TEMP_SECONDS)
    if len(entries) <= keep:
        return
    entries.sort(reverse=True)
    for _, stale in entries[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(stale)
