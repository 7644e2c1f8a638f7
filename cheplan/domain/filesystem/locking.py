"""The lock on a file being edited: exclusive, on the file itself, and still the file once held.

Two officers recording progress at once would otherwise each write their edit over the
other's. The lock (POSIX flock) is taken on the file itself. An edit replaces the file with a
new one, so a waiter that gets the lock checks that it still holds the current file, and if
not, locks the new one. Every writer holds the lock while its temporary file exists, so under
the lock any temporary file of that target is a leftover.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cheplan.domain.filesystem.reading import NotRegular, open_regular, read_descriptor


@dataclass(frozen=True)
class LockedFile:
    """A regular file, open and exclusively locked: how to read it, and what it was."""

    path: Path
    """The file itself (a symlink resolved: its target is what an edit replaces)."""
    name: str
    descriptor: int
    status: os.stat_result

    def read_bytes(self) -> bytes:
        """The whole file, through the locked descriptor, refused past the size cap."""
        return read_descriptor(self.descriptor, self.name)

    def starts_with(self, prefix: bytes) -> bool:
        return os.pread(self.descriptor, len(prefix), 0) == prefix


@contextlib.contextmanager
def locked_file(path: Path, name: str, *, not_regular: NotRegular) -> Iterator[LockedFile]:
    """Hold an exclusive lock on the regular file at `path` (shown as `name`) for the block."""
    target = path.resolve()
    while True:
        descriptor = open_regular(target, name, not_regular=not_regular)
        try:
            _lock(descriptor)
            status = os.fstat(descriptor)
            with contextlib.suppress(OSError):
                if status.st_ino != os.stat(target).st_ino:
                    continue  # replaced while we waited: lock the new file
            yield LockedFile(target, name, descriptor, status)
            return
        finally:
            os.close(descriptor)  # releases the lock


def _lock(descriptor: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: edits are not locked
        return
    fcntl.flock(descriptor, fcntl.LOCK_EX)
