"""The plan file as `update` touches it: locked, read once, checked, and replaced atomically.

A plan is a public record other people own and link to, so a write keeps its owner, group
and mode, and refuses what it cannot do faithfully: a read-only (archived) plan, a file with
other hard links (replacing it would silently split them), a file it could not give back to
its owner, and a plan over the read caps, which no command would read again. The file system
work itself (the lock, the read, the atomic write, the temporary files) is domain.filesystem's.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cheplan.domain import caps
from cheplan.domain.errors import CheplanError, UsageError, WriteRefusedError
from cheplan.domain.filesystem.locking import locked_file
from cheplan.domain.filesystem.reading import read_descriptor
from cheplan.domain.filesystem.writing import OwnerNotKept, can_give_back, replace_atomically
from cheplan.loading.files import decode_utf8

UTF8_BOM = b"\xef\xbb\xbf"


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
        return decode_utf8(read_descriptor(self.descriptor, self.name), self.name)


def _not_a_plan_file(name: str, mode: int) -> CheplanError:
    kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a pipe or device?)"
    return UsageError(f"{name}: is {kind}; update edits a plan file")


@contextlib.contextmanager
def locked_plan(path: Path, name: str) -> Iterator[PlanFile]:
    """Hold an exclusive lock on the plan file while it is read, edited and replaced; the text
    is read through the locked descriptor: one read."""
    with locked_file(path, name, not_regular=_not_a_plan_file) as held:
        yield PlanFile(held.path, name, held.descriptor, held.starts_with(UTF8_BOM), held.status)


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
    if not can_give_back(status):
        raise WriteRefusedError(
            f"{name} not changed: it belongs to user {status.st_uid}, group {status.st_gid};"
            " a new file written by this user could not be given back to them, and its owner might"
            " lose access. Record the update as the file's owner.",
            [],
        )


def plan_bytes(plan: PlanFile, text: str) -> bytes:
    """What `write_atomically` writes for `text`, refused when over the read size cap.

    Called before validating the result (it is cheap, and validation is not), and again by
    the write itself: nothing replaces the plan with a file no command would read.
    """
    payload = (UTF8_BOM if plan.bom else b"") + text.encode("utf-8")
    if len(payload) > caps.MAX_FILE_BYTES:
        raise WriteRefusedError(
            f"{plan.name} not changed: the plan would be {len(payload):,} bytes, over the"
            f" {caps.MAX_FILE_BYTES:,}-byte cap cheplan reads plans up to; no command could read it again."
            " Move finished actions or long notes to an archive first.",
            [],
        )
    return payload


def write_atomically(plan: PlanFile, text: str) -> None:
    """Replace the plan with `text`, owned and moded as the plan; untouched if anything fails."""
    payload = plan_bytes(plan, text)
    status = plan.status
    try:
        replace_atomically(plan.path, payload, mode=status.st_mode, owner=(status.st_uid, status.st_gid))
    except OwnerNotKept:
        raise WriteRefusedError(
            f"{plan.name} not changed: cannot give the new file the plan's owner and group"
            f" ({status.st_uid}:{status.st_gid}); record the update as the file's owner",
            [],
        ) from None
    except OSError as exc:
        raise WriteRefusedError(f"{plan.name} not changed: writing failed ({exc.strerror})", []) from None
