"""What an edit changes in a plan, in plain words. Pure functions over parsed YAML data.

Both versions are compared as raw data, not as validated models, so that an old version
that no longer validates (or a new one with a typo) still shows every change that can be
read. An action is anything in `actions` with a whole-number `id`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cheplan.domain.fields import STATUS_LABELS
from cheplan.domain.months import human_month, month_problem, months_between
from cheplan.domain.refs import sort_key

if TYPE_CHECKING:
    from cheplan.domain.register import Register

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
_TEXT_FIELDS = {
    "action": "action text changed",
    "outcomes": "outcomes text changed",
    "lead_printed": "printed lead cell changed",
    "recommendations_printed": "printed recommendations cell changed",
}


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
    def removed_progress(self) -> list[str]:
        """Progress entries there before and gone after (edited entries count as removed), as text."""
        change = self.change_of("progress")
        if change is None:
            return []
        removed, _ = _entry_changes(change.before, change.after)
        return [_entry_text(entry) for entry in removed]

    @property
    def unlinked(self) -> list[str]:
        """Recommendations cited before and not after."""
        change = self.change_of("recommendations")
        if change is None:
            return []
        return _sorted_refs(set(_references(change.before)) - set(_references(change.after)))


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


def describe(name: str, before: RawAction, after: RawAction) -> list[str]:
    old, new = before.get(name), after.get(name)
    if name in ("start", "end"):
        return [_describe_month(name, old, new)]
    if name == "status":
        return [f"status {_status_text(old)} → {_status_text(new)}"]
    if name == "recommendations":
        return _describe_recommendations(old, new)
    if name == "lead":
        return _describe_lead(old, new)
    if name == "progress":
        return _describe_progress(old, new)
    if name == "theme":
        return [f"theme {_value_text(old)} → {_value_text(new)}"]
    if name in _TEXT_FIELDS:
        return [_TEXT_FIELDS[name]]
    if name == "source_notes":
        return ["source notes changed"]
    return [f"{name} changed"]


def month_text(value: Any) -> str:
    """ "2020-09" -> "Sep 2020"; anything that is not a month is shown as written."""
    if _is_month(value):
        return human_month(value)
    return _value_text(value)


def _is_month(value: Any) -> bool:
    return isinstance(value, str) and month_problem(value) is None


def month_shift(old: Any, new: Any) -> int | None:
    """How many months later `new` is than `old`, when both are months."""
    if _is_month(old) and _is_month(new):
        return months_between(old, new)
    return None


def end_shift(change: ActionChange) -> tuple[str, str, int] | None:
    """(before, after, months later) when the action's end month moved."""
    end = change.change_of("end")
    if end is None:
        return None
    shift = month_shift(end.before, end.after)
    return None if shift is None else (end.before, end.after, shift)


def _describe_month(name: str, old: Any, new: Any) -> str:
    text = f"{name} month {month_text(old)} → {month_text(new)}"
    shift = month_shift(old, new)
    if shift is not None:
        text += f" ({shift:+d} month{'s' if abs(shift) != 1 else ''})"
    return text


def _status_text(value: Any) -> str:
    return STATUS_LABELS.get(value, _value_text(value)) if isinstance(value, str) else _value_text(value)


def _value_text(value: Any) -> str:
    if value is None:
        return "(none)"
    return value if isinstance(value, str) else repr(value)


def _references(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _sorted_refs(refs: set[str]) -> list[str]:
    return sorted(refs, key=sort_key)


def _describe_recommendations(old: Any, new: Any) -> list[str]:
    before, after = set(_references(old)), set(_references(new))
    sentences = [f"recommendation {ref} no longer cited" for ref in _sorted_refs(before - after)]
    sentences += [f"recommendation {ref} now cited" for ref in _sorted_refs(after - before)]
    return sentences or ["recommendations reordered"]


def _describe_lead(old: Any, new: Any) -> list[str]:
    before = [v for v in old if isinstance(v, str)] if isinstance(old, list) else []
    after = [v for v in new if isinstance(v, str)] if isinstance(new, list) else []
    sentences = [f"lead {org} removed" for org in before if org not in after]
    sentences += [f"lead {org} added" for org in after if org not in before]
    return sentences or ["leads reordered"]


def _entry_text(entry: Any) -> str:
    if not isinstance(entry, dict):
        return _value_text(entry)
    text = f"{_value_text(entry.get('date'))} {_status_text(entry.get('status'))}"
    return text + (f" by {entry['by']}" if isinstance(entry.get("by"), str) else "")


def _entry_changes(old: Any, new: Any) -> tuple[list[Any], list[Any]]:
    """Entries removed and added, counted as a multiset: deleting one of two identical
    entries is a removal too."""
    before = old if isinstance(old, list) else []
    after = new if isinstance(new, list) else []
    remaining = list(after)
    removed = []
    for entry in before:
        if entry in remaining:
            remaining.remove(entry)
        else:
            removed.append(entry)
    return removed, remaining


def _describe_progress(old: Any, new: Any) -> list[str]:
    removed, added = _entry_changes(old, new)
    sentences = [f"progress entry removed: {_entry_text(e)}" for e in removed]
    sentences += [f"progress entry added: {_entry_text(e)}" for e in added]
    return sentences or ["progress entries reordered"]


def _covered(actions: RawActions, known: set[str]) -> set[str]:
    """The register's recommendations cited by an action that still counts (a dropped one does not)."""
    return {
        ref
        for action in actions.by_id.values()
        if current_status(action) != "dropped"
        for ref in _references(action.get("recommendations"))
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
        newly_covered=_sorted_refs(after - before),
        no_longer_covered=_sorted_refs(before - after),
    )
