"""The edit rules under `validate --against REV`: the plan's history may be added to, never lost.

* an action deleted is an error: the plan is a public record, so record it as dropped;
* a progress entry deleted or rewritten is an error for the same reason: add a new dated entry;
* the approved end month moved (later or earlier) is an error: it is the baseline, and an
  agreed change is recorded as a revision (`cheplan update ID --revised-end YYYY-MM --note ...`);
* a recommendation no longer cited is a warning;
* a base version that cannot be read as a plan is an error, since no rule could be checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cheplan.domain.problems import Problem
from cheplan.domain.words import plural
from cheplan.questions.diff import ActionChange, compare, end_shift, raw_actions
from cheplan.questions.diff_words import entry_text, month_text, rewrite_text

if TYPE_CHECKING:
    from cheplan.loading.git_revision import Versions
    from cheplan.loading.load import Validation
    from cheplan.loading.safe_yaml import YamlDocument


def edit_problems(versions: Versions, validation: Validation) -> list[Problem]:
    """Every edit rule broken by the plan file against the same file at the revision (`base`)."""
    base = versions.revision
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
    unreadable = _base_unreadable(versions, base)
    if unreadable is not None:
        return [unreadable]
    change = compare(versions, validation.registers)
    problems = [_deleted(new_doc, action_id, base) for action_id in change.removed]
    new_actions = raw_actions(new_doc.data)
    for action in change.changed:
        index = new_actions.positions[action.id]
        problems += _progress_problems(new_doc, action, index, new_actions.by_id[action.id], base)
        problems += [
            new_doc.problem_at(
                ("actions", index, "recommendations"),
                "recommendation-unlinked",
                f"action {action.id} no longer cites {reference} (it did at {base}); if that is intended,"
                " say why in the pull request",
                severity="warning",
            )
            for reference in action.unlinked
        ]
        problems += _end_moved(new_doc, action, index, base)
    return problems


def _base_unreadable(versions: Versions, base: str) -> Problem | None:
    """An error when the base cannot be read as a plan: comparing with nothing would pass every rule."""
    old = versions.old
    if old.data is None:
        first = next((p for p in old.problems if p.is_error), None)
        reason = f"line {first.line}: {first.message}" if first else "it is not YAML"
    elif not isinstance(old.data, dict) or not isinstance(old.data.get("actions"), list):
        reason = "it has no list of actions"
    else:
        return None
    return versions.new.problem_at(
        (),
        "base-unreadable",
        f"the plan at {base} cannot be read as a plan ({reason}), so no edit rule can be checked against it;"
        " compare with a revision where the plan is readable",
    )


def _progress_problems(doc: YamlDocument, change: ActionChange, index: int, action: Any, base: str) -> list[Problem]:
    progress = change.progress
    problems = [
        doc.problem_at(
            ("actions", index, "progress"),
            "progress-removed",
            f"action {change.id}: a progress entry was deleted ({entry_text(entry)}; it is in {base}); the"
            " progress log is a public record: add a new dated entry instead of rewriting an old one",
            at_key=True,
        )
        for entry in progress.removed
    ]
    entries = action.get("progress") if isinstance(action, dict) else None
    for old, new in progress.rewritten:
        # At the rewritten entry itself: found by identity, since an equal entry may sit elsewhere.
        position = next((i for i, e in enumerate(entries or []) if e is new), None)
        path = ("actions", index, "progress") if position is None else ("actions", index, "progress", position)
        problems.append(
            doc.problem_at(
                path,
                "progress-removed",
                f"action {change.id}: the progress entry {entry_text(old)} was rewritten ({rewrite_text(old, new)};"
                f" compared with {base}); the progress log is a public record: put the entry back as it was and"
                " add a new dated entry instead",
            )
        )
    return problems


def _end_moved(doc: YamlDocument, change: ActionChange, index: int, base: str) -> list[Problem]:
    shift = end_shift(change)
    if shift is None or shift[2] == 0:
        return []
    before, after, months = shift
    direction = "later" if months > 0 else "earlier"
    return [
        doc.problem_at(
            ("actions", index, "end"),
            "end-moved",
            f"action {change.id}: the approved end month moved {direction}, {month_text(before)} →"
            f" {month_text(after)} ({'+' if months > 0 else '-'}{plural(abs(months), 'month')} since {base});"
            f" the approved end is the baseline and is never edited: put it back to {before} and record the"
            f' agreed revision: cheplan update {change.id} --revised-end {after} --note "Agreed by ... on ...: reason"',
        )
    ]


def _deleted(doc: YamlDocument, action_id: int, base: str) -> Problem:
    return doc.problem_at(
        ("actions",),
        "action-deleted",
        f"action {action_id} was deleted (it is in {base}); the plan is a public record: keep the action and"
        f' record it as dropped with a reason (cheplan update {action_id} --status dropped --note "why")',
        at_key=True,
    )
