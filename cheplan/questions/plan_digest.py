"""The plan digest each returns workbook carries: whether the plan changed since the export."""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass
from typing import Any

from cheplan.domain.model import Plan


def plan_digest(plan: Plan) -> str:
    """A digest of everything the plan says, to tell whether it changed since an export.

    Not the returns rounds or the contacts: sending a round records its messages, and the
    workbooks sent (and sent again with a reminder) must still match the plan they came from.
    The text digested is `json.dumps(asdict(plan))` less those, sorted; it is built here without
    asdict, which deep-copies every value (2.5 s of a 100,000-action export), and must stay the
    same text: workbooks already sent carry digests made from it (tests pin it against asdict's).
    """
    data = _fields_of(plan)
    data.pop("rounds", None)
    data["organisations"] = [
        {name: value for name, value in _fields_of(organisation).items() if name != "contacts"}
        for organisation in plan.organisations
    ]
    text = json.dumps(data, sort_keys=True, ensure_ascii=True, default=_json_value)
    return hashlib.sha256(text.encode()).hexdigest()


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _fields_of(value: object) -> dict[str, Any]:
    """A dataclass's fields by name, as asdict would list them (not copied)."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(value))  # type: ignore[arg-type]
    return {name: getattr(value, name) for name in names}


def _json_value(value: Any) -> Any:
    """What json.dumps writes for a value it has no rule for: a dataclass as the dict of its
    fields (as asdict makes it), anything else (a date) as its str()."""
    if is_dataclass(value) and not isinstance(value, type):
        return _fields_of(value)
    return str(value)
