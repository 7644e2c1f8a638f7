"""Next year's plan from this year's: every action unfinished on the as-of date carried, with
where it came from; everything else the plan holds copied (meetings and rounds only when they
fall inside the new period).

Works on the plan's data as written (so concepts this module does not know are copied too),
and on the validated plan for statuses as they stood on the as-of date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from cheplan.domain.model import Action, Plan
from cheplan.domain.rollover import plan_label

Data = dict[str, Any]
FINISHED = ("complete", "dropped")
# Lists of dated items that belong to one period: dropped from the new plan when outside it.
DATED_LISTS = ("meetings", "rounds")
# What a carried action does not take along: its log and state stay in the old plan's record.
LEFT_BEHIND = ("progress", "status", "end", "carried_from")
_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


@dataclass(frozen=True)
class Rollover:
    data: Data
    carried: list[int]
    from_label: str
    dropped: dict[str, int]


def unfinished(action: Action, as_of: date) -> bool:
    return action.status_on(as_of) not in FINISHED


def _carried(raw: Data, action: Action, label: str, as_of: date, period_end: str) -> Data:
    entry = action.progress_on(as_of)
    provenance: Data = {
        "plan": label,
        "action": action.id,
        "status": action.status_on(as_of),
        "baseline_end": action.end,
        "end_agreed": False,
    }
    if entry is not None:
        provenance["last_update"] = entry.date
    carried = {key: _copy(value) for key, value in raw.items() if key not in LEFT_BEHIND}
    carried["end"] = period_end  # a placeholder, flagged: never an invented date
    carried["status"] = provenance["status"]
    carried["carried_from"] = provenance
    return carried


def _copy(value: Any) -> Any:
    """A copy of plain data (mappings, lists, scalars): copy.deepcopy's bookkeeping for shared and
    cyclic objects cost a third of a second at 44,000 actions, and parsed data has neither
    (a YAML alias is copied, and written, in full each time: within the read cap on aliases)."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _in_period(item: Any, start: str, end: str) -> bool:
    when = next((str(item[key]) for key in ("date", "deadline", "due") if isinstance(item, dict) and key in item), None)
    if when is None or not _DATE.fullmatch(when):
        return True
    return start <= when[:7] <= end


def roll_over(raw: Data, plan: Plan, *, to: str, period: tuple[str, str], as_of: date, title: str | None) -> Rollover:
    """The new plan's data, and the ids carried."""
    meta = plan.plan
    label = plan_label(meta.period.start, meta.period.end)
    new: Data = {}
    dropped: dict[str, int] = {}
    for key, value in raw.items():
        if key in ("actions", "closed"):
            continue
        kept = value
        if key in DATED_LISTS and isinstance(value, list):
            kept = [item for item in value if _in_period(item, *period)]
            dropped[key] = len(value) - len(kept)
        new[key] = _copy(kept)
    new_meta = new["plan"]
    new_meta["title"] = title or (meta.title.replace(label, to) if label in meta.title else f"{meta.title} {to}")
    new_meta.pop("approved", None)  # not approved until its board approves it
    new_meta["period"] = {"start": period[0], "end": period[1]}
    new_meta["source"] = f"{meta.source}; unfinished actions carried from the {label} plan by cheplan rollover"
    raw_actions = {item.get("id"): item for item in raw.get("actions", []) if isinstance(item, dict)}
    actions = [
        _carried(raw_actions[action.id], action, label, as_of, period[1])
        for action in plan.actions
        if unfinished(action, as_of)
    ]
    new["actions"] = actions
    return Rollover(new, [a["id"] for a in actions], label, dropped)


def closing_block(as_of: date, carried: list[int], by_plan: str) -> str:
    """The `closed:` block appended to the old plan: the only bytes rollover adds to it."""
    ids = ", ".join(str(number) for number in carried)
    return f'closed:\n  date: "{as_of.isoformat()}"\n  carried: [{ids}]\n  by_plan: "{by_plan}"\n'
