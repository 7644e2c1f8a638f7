"""The plan file as `update` touches it: locked, read once, checked, and replaced atomically.

A plan is a public record other people own and link to, so a write keeps its owner, group
and mode, and refuses what it cannot do faithfully: a read-only (archived) plan, a file with
other hard links (replacing it would silently split them), a file it could not give back to
its owner. Temporary files have names that say whose they are, so one left by an
interrupted write (a kill, a power cut) is recognised and removed by the next update.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cheplan.domain.errors import UnreadableInputError, UsageError, WriteRefusedError
from cheplan.loading.safe_yaml import MAX_FILE_BYTES, decode_utf8

UTF8_BOM = b"\xef\xbb\xbf"
_TEMP_MARK = ".cheplan-tmp-"
# Earlier versions named temporary files `.NAME.XXXXXXXX.tmp` (tempfile.mkstemp).
_LEGACY_TEMP = r"\.[a-z0-9_]{8}\.tmp"


@dataclass(frozen=True)
class PlanFile:
    """The plan, open and locked: how to read it, and what a write must keep."""

    path: Path
    """The file itself (a symlink resolved: its target is what gets replaced)."""
    name: str
    descriptor: int
    bom: bool
    status: os.stat_result

    def read_text(self) -> str:
        """The whole text (without BOM). Not kept here: a 10 MB plan should be in memory once."""
        return decode_utf8(_read_all(self.descriptor, self.name), self.name)


def temp_name(target: Path) -> str:
    """`.plan.yaml.cheplan-tmp-PID-RANDOM`: hidden, next to the plan, and recognisably cheplan's."""
    return f".{target.name}{_TEMP_MARK}{os.getpid()}-{os.urandom(4).hex()}"  # (secrets would load OpenSSL)


def _is_our_temp(name: str, target: Path) -> bool:
    prefix = f".{target.name}"
    if not name.startswith(prefix):
        return False
    rest = name[len(prefix) :]
    return bool(re.fullmatch(re.escape(_TEMP_MARK) + r"\d+-[0-9a-f]{8}|" + _LEGACY_TEMP, rest))


def remove_stale_temps(target: Path) -> int:
    """Remove temporary files an interrupted write left beside `target`; call it under the lock.

    Every writer holds the lock on the current file while its temporary file exists, so under
    the lock any such file is left over. Returns how many were removed.
    """
    removed = 0
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            if _is_our_temp(entry.name, target) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


@contextlib.contextmanager
def locked_plan(path: Path, name: str) -> Iterator[PlanFile]:
    """Hold an exclusive lock on the plan file while it is read, edited and replaced.

    Two officers recording progress at once would otherwise each write their edit over the
    other's. The lock (POSIX flock) is taken on the file itself. An edit replaces the file
    with a new one, so a waiter that gets the lock checks it still holds the current file,
    and if not, locks the new one. The text is read through the locked descriptor: one read.
    """
    target = path.resolve()
    while True:
        descriptor = _open_regular(target, name)
        try:
            _lock(descriptor)
            status = os.fstat(descriptor)
            with contextlib.suppress(OSError):
                if status.st_ino != os.stat(target).st_ino:
                    continue  # replaced while we waited: lock the new file
            bom = os.pread(descriptor, len(UTF8_BOM), 0) == UTF8_BOM
            yield PlanFile(target, name, descriptor, bom, status)
            return
        finally:
            os.close(descriptor)  # releases the lock


def _open_regular(target: Path, name: str) -> int:
    """Open without blocking (a FIFO would hang a plain open) and insist on a regular file."""
    try:
        descriptor = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise UnreadableInputError(f"{name}: no such file") from None
    except PermissionError:
        raise UnreadableInputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise UnreadableInputError(f"{name}: cannot be read ({exc.strerror})") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a pipe or device?)"
        raise UsageError(f"{name}: is {kind}; update edits a plan file")
    os.set_blocking(descriptor, True)
    return descriptor


def _lock(descriptor: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: edits are not locked
        return
    fcntl.flock(descriptor, fcntl.LOCK_EX)


def _read_all(descriptor: int, name: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := os.pread(descriptor, 1 << 20, size):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise UnreadableInputError(
                    f"{name}: more than {MAX_FILE_BYTES:,} bytes; cheplan reads plans up to that"
                )
    except OSError as exc:
        raise UnreadableInputError(f"{name}: cannot be read ({exc.strerror})") from None
    return b"".join(chunks)


def check_writable(plan: PlanFile) -> None:
    """Refuse, before any work, what `write_atomically` could not do faithfully."""
    status, name = plan.status, plan.name
    mode = stat.S_IMODE(status.st_mode)
    if not mode & 0o222:
        raise WriteRefusedError(
            f"{name} not changed: the file is read-only (mode {mode:04o}), as an archived plan is;"
            " make it writable first (chmod u+w) if it is meant to change",
            [],
        )
    if status.st_nlink > 1:
        raise WriteRefusedError(
            f"{name} not changed: the file has {status.st_nlink} hard links, and replacing it would"
            " leave the other names with the old text; edit the plan through a file with one link"
            " (a symlink is fine)",
            [],
        )
    if not _can_give_back(status):
        raise WriteRefusedError(
            f"{name} not changed: it belongs to user {status.st_uid}, group {status.st_gid};"
            " a new file written by this user could not be given back to them, and its owner might"
            " lose access. Record the update as the file's owner.",
            [],
        )


def _can_give_back(status: os.stat_result) -> bool:
    """Whether the new file can have the old file's owner and group."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - not POSIX
        return True
    euid = os.geteuid()
    if euid == 0:
        return True
    return status.st_uid == euid and (status.st_gid == os.getegid() or status.st_gid in os.getgroups())


def write_atomically(plan: PlanFile, text: str) -> None:
    """Replace the plan with `text`: a temporary file beside it, owned and moded as the plan,
    synced, then renamed over it. The original is untouched if anything fails."""
    target, name = plan.path, plan.name
    temporary = target.parent / temp_name(target)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:
        raise WriteRefusedError(f"{name} not changed: cannot write beside it ({exc.strerror})", []) from None
    payload = (UTF8_BOM if plan.bom else b"") + text.encode("utf-8")
    try:
        fill_and_rename(descriptor, temporary, target, payload, prepare=lambda fd: _keep_owner_and_mode(fd, plan))
    except OSError as exc:
        raise WriteRefusedError(f"{name} not changed: writing failed ({exc.strerror})", []) from None


def fill_and_rename(
    descriptor: int, temporary: Path, target: Path, payload: bytes, *, prepare: Callable[[int], None] | None = None
) -> None:
    """Write `payload` to the new `temporary` file open on `descriptor` (after `prepare(fd)`:
    its owner, its mode), sync it and rename it over `target`; then sync the directory.

    On any failure the temporary file is removed, `target` is as it was, and the error
    (an OSError, for the caller to word) goes on up.
    """
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if prepare is not None:
                prepare(handle.fileno())
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    sync_directory(target.parent)


def _keep_owner_and_mode(descriptor: int, plan: PlanFile) -> None:
    status = plan.status
    if hasattr(os, "fchown") and (status.st_uid, status.st_gid) != _owner_of(descriptor):
        try:
            os.fchown(descriptor, status.st_uid, status.st_gid)
        except PermissionError:
            raise WriteRefusedError(
                f"{plan.name} not changed: cannot give the new file the plan's owner and group"
                f" ({status.st_uid}:{status.st_gid}); record the update as the file's owner",
                [],
            ) from None
    # After chown, which may clear set-id bits.
    os.fchmod(descriptor, stat.S_IMODE(status.st_mode))


def _owner_of(descriptor: int) -> tuple[int, int]:
    status = os.fstat(descriptor)
    return status.st_uid, status.st_gid


def sync_directory(directory: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
