"""The one scheme for temporary files, and the one sweeper of those an interrupted write left.

A temporary file is hidden, beside its target, and named after it and after the process:
`.plan.yaml.cheplan-tmp-PID-RANDOM`. Its name says whose it is, so a sweeper removes only
cheplan's leftovers, never a user's own file (CHEPLAN_CACHE_DIR may point at a folder that
holds the user's files too).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path

TEMP_MARK = ".cheplan-tmp-"
# A temporary file this old was left by a write that was interrupted (killed, power cut): no
# write takes an hour, so removing it can never break one under way. What writes without a
# lock (the cache, a set of --out files) sweeps only these.
STALE_TEMP_SECONDS = 3600
_NAME_MAX = 255  # bytes in one file name on the usual file systems; the temporary name must fit too
_OURS = re.escape(TEMP_MARK) + r"\d+-[0-9a-f]{8}"
# Earlier versions' names: the plan's `.NAME.XXXXXXXX.tmp` and the cache's `.tmp-XXXXXXXX`
# (both tempfile.mkstemp's); still recognised, so their leftovers are swept too.
_LEGACY_BESIDE = r"\.[a-z0-9_]{8}\.tmp"
_LEGACY_CACHE = re.compile(r"\.tmp-[a-z0-9_]{8}")


def temp_name(target: Path) -> str:
    """`.NAME.cheplan-tmp-PID-RANDOM`, shortened when a long name would not leave it room."""
    name = target.name
    suffix = f"{TEMP_MARK}{os.getpid()}-{os.urandom(4).hex()}"  # (secrets would load OpenSSL)
    excess = len(os.fsencode(f".{name}{suffix}")) - _NAME_MAX
    if excess > 0:
        encoded = os.fsencode(name)
        name = os.fsdecode(encoded[: max(1, len(encoded) - excess)])
    return f".{name}{suffix}"


def temp_path(target: Path) -> Path:
    return target.parent / temp_name(target)


def is_temporary(name: str, target_name: str | None = None) -> bool:
    """Whether `name` is a temporary file cheplan made (for `target_name`, when one is given)."""
    if target_name is None:
        return bool(_LEGACY_CACHE.fullmatch(name) or re.fullmatch(r"\..+" + _OURS, name, re.DOTALL))
    prefix = f".{target_name}"
    if not name.startswith(prefix):
        return False
    return bool(re.fullmatch(_OURS + "|" + _LEGACY_BESIDE, name[len(prefix) :]))


def remove_stale_temps(
    directory: Path, *, target_name: str | None = None, older_than: float = 0.0, folders: bool = False
) -> int:
    """Remove the temporary files in `directory` (of `target_name`, or of any name) that an
    interrupted write left, and that are at least `older_than` seconds old; with `folders`,
    temporary folders too (a set of files being staged). Returns how many.

    A writer that holds the lock on its target while its temporary file exists sweeps that
    target's leftovers under the lock, at any age: none can be another writer's. Without a lock,
    only those older than any write could take are removed (STALE_TEMP_SECONDS).
    """
    removed = 0
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(directory) as entries:
        for entry in entries:
            if not is_temporary(entry.name, target_name):
                continue
            with contextlib.suppress(OSError):
                if now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                    continue
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
                    removed += 1
                elif folders and entry.is_dir(follow_symlinks=False):
                    remove_folder(Path(entry.path))
                    removed += 1
    return removed


def remove_folder(folder: Path) -> None:
    """A temporary folder and the files in it (cheplan stages files one level deep, no more)."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    with contextlib.suppress(OSError):
        os.rmdir(folder)
