"""The plan as it was at a git revision, and the edit rules a change to it must follow.

Git is asked through `git show REV:./FILE`, run in the plan file's own directory, so the
answer never depends on the process's working directory. Every git failure becomes a
UsageError that says what to do.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cheplan.domain.errors import UsageError
from cheplan.domain.problems import Problem
from cheplan.domain.words import plural
from cheplan.loading.locate import display_name
from cheplan.loading.safe_yaml import YamlDocument, decode_utf8, parse_yaml, read_text
from cheplan.questions.diff import PlanDiff, diff_plans, end_shift, month_text, raw_actions

if TYPE_CHECKING:
    from cheplan.domain.register import Register
    from cheplan.loading.load import Validation

GIT_TIMEOUT_SECONDS = 30
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


def read_at_revision(plan_path: Path, revision: str) -> str:
    """The text of `plan_path` as committed at `revision`."""
    name = display_name(plan_path)
    if not revision or revision.startswith("-"):
        raise UsageError(f"{revision!r} is not a git revision")
    directory = plan_path.resolve().parent
    if not directory.is_dir():
        raise UsageError(f"{name}: no such directory {directory}")
    inside = _git(["rev-parse", "--is-inside-work-tree"], directory)
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        reason = _first_line(inside.stderr)
        if inside.returncode == 0 or "not a git repository" in reason:
            raise UsageError(f"{name} is not in a git repository, so there is no revision {revision!r} to compare with")
        raise UsageError(f"git cannot read the repository holding {name}: {reason}")  # e.g. dubious ownership
    commit = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], directory)
    if commit.returncode != 0:
        raise UsageError(
            f"unknown git revision {revision!r} (a branch, tag or commit is expected, e.g. HEAD or origin/main;"
            " in CI, fetch the base branch first)"
        )
    shown = _git(["show", f"{revision}:./{plan_path.name}"], directory)
    if shown.returncode != 0:
        reason = _first_line(shown.stderr)
        if "does not exist" in reason or "exists on disk, but not in" in reason:
            raise NotInRevisionError(f"{name} is not in revision {revision!r}: {reason}")
        raise UsageError(f"git cannot show {name} at {revision!r}: {reason}")
    return decode_utf8(shown.stdout, f"{name} at {revision}")


def load_versions(plan_path: Path, revision: str) -> Versions:
    """Both versions of the plan, parsed but not required to be valid.

    A plan file that is new since `revision` compares with an empty plan: every action is
    added, and no edit rule can be broken (a pull request may add a plan).
    """
    name = display_name(plan_path)
    new = parse_yaml(read_text(plan_path, name), name)
    old_name = f"{name} at {revision}"
    try:
        old = parse_yaml(read_at_revision(plan_path, revision), old_name)
    except NotInRevisionError:
        return Versions(revision, new, YamlDocument(old_name, "", {"actions": []}, []), new_file=True)
    return Versions(revision, new, old)


def compare(versions: Versions, registers: list[Register]) -> PlanDiff:
    return diff_plans(raw_actions(versions.old.data), raw_actions(versions.new.data), registers)


def edit_problems(plan_path: Path, base: str, validation: Validation) -> list[Problem]:
    """Edit rules against the plan at `base`: history may be added to, never lost.

    * an action deleted is an error: the plan is a public record, so record it as dropped;
    * a progress entry deleted is an error for the same reason: progress is added, not rewritten;
    * a recommendation no longer cited, or an end month moved later, is a warning.
    """
    versions = load_versions(plan_path, base)
    new_doc = versions.new
    if new_doc.data is None:
        return []  # the YAML problems are already reported; there is nothing to compare
    if versions.new_file:
        # A new plan has no history to lose, but a renamed one would slip past every rule: say so.
        return [
            new_doc.problem_at(
                (),
                "not-in-base",
                f"this file is not in {base}, so no edit rules apply; if it is an existing plan renamed,"
                " check the edit against its old name",
                severity="warning",
            )
        ]
    change = compare(versions, validation.registers)
    problems = [_deleted(new_doc, action_id, base) for action_id in change.removed]
    new_index = raw_actions(new_doc.data).positions
    for action in change.changed:
        index = new_index[action.id]
        for entry in action.removed_progress:
            problems.append(
                new_doc.problem_at(
                    ("actions", index, "progress"),
                    "progress-removed",
                    f"action {action.id}: a progress entry was deleted ({entry}; it is in {base}); the progress log"
                    " is a public record: add a new dated entry instead of rewriting an old one",
                    at_key=True,
                )
            )
        for reference in action.unlinked:
            problems.append(
                new_doc.problem_at(
                    ("actions", index, "recommendations"),
                    "recommendation-unlinked",
                    f"action {action.id} no longer cites {reference} (it did at {base}); if that is intended,"
                    " say why in the pull request",
                    severity="warning",
                )
            )
        shift = end_shift(action)
        if shift is not None and shift[2] > 0:
            before, after, months = shift
            problems.append(
                new_doc.problem_at(
                    ("actions", index, "end"),
                    "end-moved-later",
                    f"action {action.id}: end month moved later, {month_text(before)} → {month_text(after)}"
                    f" (+{plural(months, 'month')} since {base})",
                    severity="warning",
                )
            )
    return problems


def _deleted(doc: YamlDocument, action_id: int, base: str) -> Problem:
    return doc.problem_at(
        ("actions",),
        "action-deleted",
        f"action {action_id} was deleted (it is in {base}); the plan is a public record: keep the action and"
        f' record it as dropped with a reason (cheplan update {action_id} --status dropped --note "why")',
        at_key=True,
    )
