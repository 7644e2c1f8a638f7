"""What an edit changes in a plan, in plain words. Pure functions over parsed YAML data.

Both versions are compared as raw data, not as validated models, so that an old version
that no longer validates (or a new one with a typo) still shows every change that can be
read. An action is anything in `actions` with a whole-number `id`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cheplan.questions.diff_words import (
    ProgressChanges,
    describe,
    month_shift,
    progress_changes,
    references,
    sorted_refs,
)

if TYPE_CHECKING:
    from cheplan.domain.register import Register
    from cheplan.loading.git_revision import Versions

RawAction = dict[str, Any]

# The order changes are listed in: the order of the fields in a plan file.
FIELD_ORDER = (
    "theme",
    "action",
    "outcomes",
    "lead_printed",
    "lead",
    "start",
    "end",
    "recommendations_printed",
    "recommendations",
    "status",
    "progress",
    "source_notes",
)


@dataclass(frozen=True)
class RawActions:
    """The actions of one version by id (the first of duplicates), and where each sits in the list."""

    by_id: dict[int, RawAction] = field(default_factory=dict)
    positions: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: Any
    after: Any
    summary: list[str]
    """One plain sentence per thing that changed, e.g. "end month Sep 2020 → Mar 2021 (+6 months)"."""


@dataclass(frozen=True)
class ActionChange:
    id: int
    fields: list[FieldChange]

    def change_of(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def summary(self) -> list[str]:
        return [sentence for change in self.fields for sentence in change.summary]

    @property
    def progress(self) -> ProgressChanges:
        """Progress entries removed, rewritten and added."""
        change = self.change_of("progress")
        if change is None:
            return ProgressChanges([], [], [])
        return progress_changes(change.before, change.after)

    @property
    def unlinked(self) -> list[str]:
        """Recommendations cited before and not after."""
        change = self.change_of("recommendations")
        if change is None:
            return []
        return sorted_refs(set(references(change.before)) - set(references(change.after)))


@dataclass(frozen=True)
class SourceCoverage:
    """How many of one register's recommendations are implemented by an action that is not dropped."""

    source: str
    total: int
    covered_before: int
    covered_after: int
    newly_covered: list[str]
    no_longer_covered: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.newly_covered or self.no_longer_covered)


@dataclass(frozen=True)
class PlanDiff:
    added: list[int]
    removed: list[int]
    changed: list[ActionChange]
    coverage: list[SourceCoverage]

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": [
                {
                    "id": change.id,
                    "fields": {f.name: {"before": f.before, "after": f.after} for f in change.fields},
                    "summary": change.summary,
                }
                for change in self.changed
            ],
            "coverage": [
                {
                    "source": c.source,
                    "total": c.total,
                    "covered_before": c.covered_before,
                    "covered_after": c.covered_after,
                    "newly_covered": c.newly_covered,
                    "no_longer_covered": c.no_longer_covered,
                }
                for c in self.coverage
            ],
        }


def raw_actions(data: Any) -> RawActions:
    """Whatever can be read as actions from a parsed plan, however invalid the rest is."""
    by_id: dict[int, RawAction] = {}
    positions: dict[int, int] = {}
    items = data.get("actions") if isinstance(data, dict) else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        action_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(action_id, int) and not isinstance(action_id, bool) and action_id not in by_id:
            by_id[action_id] = item
            positions[action_id] = index
    return RawActions(by_id, positions)


def diff_plans(old: RawActions, new: RawActions, registers: list[Register]) -> PlanDiff:
    added = sorted(set(new.by_id) - set(old.by_id))
    removed = sorted(set(old.by_id) - set(new.by_id))
    changed: list[ActionChange] = []
    for action_id in sorted(set(old.by_id) & set(new.by_id)):
        fields = diff_action(old.by_id[action_id], new.by_id[action_id])
        if fields:
            changed.append(ActionChange(action_id, fields))
    coverage = [_coverage(register, old, new) for register in registers]
    return PlanDiff(added, removed, changed, coverage)


def diff_action(old: RawAction, new: RawAction) -> list[FieldChange]:
    before, after = _comparable(old), _comparable(new)
    names = [*FIELD_ORDER, *sorted((set(before) | set(after)) - set(FIELD_ORDER) - {"id"})]
    changes = []
    for name in names:
        if before.get(name) != after.get(name):
            changes.append(FieldChange(name, before.get(name), after.get(name), describe(name, before, after)))
    return changes


def _comparable(action: RawAction) -> RawAction:
    """The action's fields as a reader sees them: `status` is the current status, set by the latest progress."""
    values = {k: v for k, v in action.items() if k != "status"}
    values["status"] = current_status(action)
    values.setdefault("recommendations", [])
    values.setdefault("progress", [])
    values.setdefault("source_notes", [])
    return values


def current_status(action: RawAction) -> Any:
    """As `Action.current_status`: the latest dated progress entry's status, else the status field."""
    progress = action.get("progress")
    entries = (
        [e for e in progress if isinstance(e, dict) and isinstance(e.get("date"), str)]
        if isinstance(progress, list)
        else []
    )
    if entries:
        # Stable: on equal dates the later-written entry wins.
        return max(reversed(entries), key=lambda entry: entry["date"]).get("status")
    return action.get("status", "not_reported")


def end_shift(change: ActionChange) -> tuple[str, str, int] | None:
    """(before, after, months later) when the action's end month moved."""
    end = change.change_of("end")
    if end is None:
        return None
    shift = month_shift(end.before, end.after)
    return None if shift is None else (end.before, end.after, shift)


def _covered(actions: RawActions, known: set[str]) -> set[str]:
    """The register's recommendations cited by an action that still counts (a dropped one does not)."""
    return {
        ref
        for action in actions.by_id.values()
        if current_status(action) != "dropped"
        for ref in references(action.get("recommendations"))
        if ref in known
    }


def _coverage(register: Register, old: RawActions, new: RawActions) -> SourceCoverage:
    known = {r.id for r in register.recommendations}
    before, after = _covered(old, known), _covered(new, known)
    return SourceCoverage(
        source=register.source.code,
        total=len(known),
        covered_before=len(before),
        covered_after=len(after),
        newly_covered=sorted_refs(after - before),
        no_longer_covered=sorted_refs(before - after),
    )


def compare(versions: Versions, registers: list[Register]) -> PlanDiff:
    """What changed between the plan at the revision and the plan now."""
    return diff_plans(raw_actions(versions.old.data), raw_actions(versions.new.data), registers)
