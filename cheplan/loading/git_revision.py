"""The plan as it was at a git revision: the one place cheplan runs git (the edit rules over
both versions are in questions/edit_rules.py, the comparison in questions/diff.py).

REV is first resolved to exactly one commit, then git is asked through `git show COMMIT:./FILE`,
run in the directory of the file the plan path points to, so the answer never depends on the
process's working directory or on a symbolic link's name. Every git failure becomes a
UsageError that says what to do.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cheplan.domain.errors import UsageError
from cheplan.loading.locate import display_name
from cheplan.loading.safe_yaml import YamlDocument, decode_utf8, parse_yaml, read_text

GIT_TIMEOUT_SECONDS = 30
# A full commit hash: SHA-1 (40 hex digits) or SHA-256 (64).
_OBJECT_NAME = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
# Set by git itself while a hook runs; they point at the repository git was started in,
# which is not necessarily the one holding the plan.
_GIT_LOCATION_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")


class NotInRevisionError(UsageError):
    """The plan file did not exist at the revision: a new plan, with no history to compare."""


@dataclass(frozen=True)
class Versions:
    """The plan file now (working tree) and at a revision, both parsed leniently."""

    revision: str
    new: YamlDocument
    old: YamlDocument
    # The file did not exist at the revision: it is compared with an empty plan.
    new_file: bool = False


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARIABLES}
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, env=env, capture_output=True, timeout=GIT_TIMEOUT_SECONDS, check=False
        )
    except FileNotFoundError:
        raise UsageError("comparing with a revision needs git, and git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git did not answer within {GIT_TIMEOUT_SECONDS} seconds") from None


def _first_line(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace").strip()
    return text.splitlines()[0] if text else "no message"


def resolve_commit(revision: str, directory: Path) -> str:
    """The one commit `revision` names, as a full hash; anything else is a UsageError.

    `git rev-parse --verify` alone is not enough: it accepts `^HEAD` (a negated commit, which
    `git show` answers with nothing) and prints several lines for a range. Only one line that
    is a bare object name counts, and that name (not the user's text) is what git is asked about.
    """
    if not revision or revision.startswith("-"):
        raise UsageError(f"{revision!r} is not a git revision")
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], directory)
    lines = found.stdout.decode("ascii", errors="replace").split()
    if found.returncode == 0 and len(lines) == 1 and _OBJECT_NAME.fullmatch(lines[0]):
        return lines[0]
    if revision.startswith("^") or ".." in revision or revision.endswith(("^!", "^@")) or len(lines) > 1:
        raise UsageError(
            f"{revision!r} does not name exactly one commit (a range or an excluded commit);"
            " give one branch, tag or commit, e.g. HEAD or origin/main"
        )
    raise UsageError(
        f"unknown git revision {revision!r} (a branch, tag or commit is expected, e.g. HEAD or origin/main;"
        " in CI, fetch the base branch first)"
    )


def read_at_revision(plan_path: Path, revision: str) -> str:
    """The text of `plan_path` as committed at `revision`.

    A symbolic link is followed first: the history that counts is the file's it points to,
    not the link's (whose name git may not know, or may know as a different file).
    """
    name = display_name(plan_path)
    if not revision or revision.startswith("-"):
        raise UsageError(f"{revision!r} is not a git revision")
    target = plan_path.resolve()
    directory = target.parent
    if not directory.is_dir():
        raise UsageError(f"{name}: no such directory {directory}")
    inside = _git(["rev-parse", "--is-inside-work-tree"], directory)
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        reason = _first_line(inside.stderr)
        if inside.returncode == 0 or "not a git repository" in reason:
            raise UsageError(f"{name} is not in a git repository, so there is no revision {revision!r} to compare with")
        raise UsageError(f"git cannot read the repository holding {name}: {reason}")  # e.g. dubious ownership
    commit = resolve_commit(revision, directory)
    shown = _git(["show", f"{commit}:./{target.name}"], directory)
    if shown.returncode != 0:
        reason = _first_line(shown.stderr)
        if "does not exist" in reason or "exists on disk, but not in" in reason:
            raise NotInRevisionError(f"{name} is not in revision {revision!r}: {reason}")
        raise UsageError(f"git cannot show {name} at {revision!r}: {reason}")
    return decode_utf8(shown.stdout, f"{name} at {revision}")


def load_versions(plan_path: Path, revision: str, new: YamlDocument | None = None) -> Versions:
    """Both versions of the plan, parsed but not required to be valid; `new`, the file as
    already parsed (by validation), is not parsed again.

    A plan file that is new since `revision` compares with an empty plan: every action is
    added, and no edit rule can be broken (a pull request may add a plan).
    """
    name = display_name(plan_path)
    if new is None:
        new = parse_yaml(read_text(plan_path, name), name)
    old_name = f"{name} at {revision}"
    try:
        old = parse_yaml(read_at_revision(plan_path, revision), old_name)
    except NotInRevisionError:
        return Versions(revision, new, YamlDocument(old_name, "", {"actions": []}, []), new_file=True)
    return Versions(revision, new, old)
