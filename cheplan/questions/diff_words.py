"""One changed field of an action, in plain words: "end month Sep 2020 → Mar 2021 (+6 months)".

Pure functions over raw (possibly invalid) parsed YAML values, so they never assume a type.
A progress entry rewritten in place (same date, or same words under a new date) is shown as
one rewritten entry with what changed in it, the note's changed words included, never as an
entry removed and an identical-looking one added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cheplan.domain.months import human_month, month_problem, months_between
from cheplan.domain.refs import sort_key
from cheplan.domain.vocabulary import STATUS_LABELS

_TEXT_FIELDS = {
    "action": "action text changed",
    "outcomes": "outcomes text changed",
    "lead_printed": "printed lead cell changed",
    "recommendations_printed": "printed recommendations cell changed",
}
# A note up to this long is quoted whole; a longer one shows only the words that changed.
NOTE_QUOTE_LENGTH = 100
# Characters of unchanged text kept either side of a change in a long note.
NOTE_CONTEXT = 20
# An entry's fields in the order a rewrite of them is listed.
_ENTRY_FIELDS = ("date", "status", "note", "by", "revised_end", "rag")


def describe(name: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    old, new = before.get(name), after.get(name)
    if name in ("start", "end"):
        return [_describe_month(name, old, new)]
    if name == "status":
        return [f"status {status_text(old)} → {status_text(new)}"]
    if name == "recommendations":
        return _describe_recommendations(old, new)
    if name == "lead":
        return _describe_lead(old, new)
    if name == "progress":
        return _describe_progress(old, new)
    if name == "theme":
        return [f"theme {value_text(old)} → {value_text(new)}"]
    if name in _TEXT_FIELDS:
        return [_TEXT_FIELDS[name]]
    if name == "source_notes":
        return ["source notes changed"]
    return [f"{name} changed"]


def month_text(value: Any) -> str:
    """ "2020-09" -> "Sep 2020"; anything that is not a month is shown as written."""
    if _is_month(value):
        return human_month(value)
    return value_text(value)


def _is_month(value: Any) -> bool:
    return isinstance(value, str) and month_problem(value) is None


def month_shift(old: Any, new: Any) -> int | None:
    """How many months later `new` is than `old`, when both are months."""
    if _is_month(old) and _is_month(new):
        return months_between(old, new)
    return None


def _describe_month(name: str, old: Any, new: Any) -> str:
    text = f"{name} month {month_text(old)} → {month_text(new)}"
    shift = month_shift(old, new)
    if shift is not None:
        text += f" ({shift:+d} month{'s' if abs(shift) != 1 else ''})"
    return text


def status_text(value: Any) -> str:
    return STATUS_LABELS.get(value, value_text(value)) if isinstance(value, str) else value_text(value)


def value_text(value: Any) -> str:
    if value is None:
        return "(none)"
    return value if isinstance(value, str) else repr(value)


def references(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def sorted_refs(refs: set[str]) -> list[str]:
    return sorted(refs, key=sort_key)


def _describe_recommendations(old: Any, new: Any) -> list[str]:
    before, after = set(references(old)), set(references(new))
    sentences = [f"recommendation {ref} no longer cited" for ref in sorted_refs(before - after)]
    sentences += [f"recommendation {ref} now cited" for ref in sorted_refs(after - before)]
    return sentences or ["recommendations reordered"]


def _describe_lead(old: Any, new: Any) -> list[str]:
    before = [v for v in old if isinstance(v, str)] if isinstance(old, list) else []
    after = [v for v in new if isinstance(v, str)] if isinstance(new, list) else []
    sentences = [f"lead {org} removed" for org in before if org not in after]
    sentences += [f"lead {org} added" for org in after if org not in before]
    return sentences or ["leads reordered"]


def entry_text(entry: Any) -> str:
    """ "2020-08-01 in progress by Police": how a progress entry is named in a sentence."""
    if not isinstance(entry, dict):
        return value_text(entry)
    text = f"{value_text(entry.get('date'))} {status_text(entry.get('status'))}"
    return text + (f" by {entry['by']}" if isinstance(entry.get("by"), str) else "")


@dataclass(frozen=True)
class ProgressChanges:
    """Progress entries removed, rewritten (before, after) and added between two versions."""

    removed: list[Any]
    rewritten: list[tuple[Any, Any]]
    added: list[Any]


def progress_changes(old: Any, new: Any) -> ProgressChanges:
    """Entries are compared as a multiset (deleting one of two identical entries is a removal);
    a removed entry and an added one with the same date, else the same note, are one rewrite."""
    before = old if isinstance(old, list) else []
    remaining = list(new) if isinstance(new, list) else []
    gone = []
    for entry in before:
        if entry in remaining:
            remaining.remove(entry)
        else:
            gone.append(entry)
    rewritten: list[tuple[Any, Any]] = []
    for key in ("date", "note"):
        for entry in list(gone):
            match = next((e for e in remaining if _same_field(entry, e, key)), None)
            if match is not None:
                rewritten.append((entry, match))
                gone.remove(entry)
                remaining.remove(match)
    rewritten.sort(key=lambda pair: before.index(pair[0]))
    return ProgressChanges(gone, rewritten, remaining)


def _same_field(old: Any, new: Any, key: str) -> bool:
    """Both entries hold `key`, with one value: the clue that a removed entry was rewritten."""
    return isinstance(old, dict) and isinstance(new, dict) and old.get(key) is not None and old.get(key) == new.get(key)


def rewrite_text(old: dict[str, Any], new: dict[str, Any]) -> str:
    """What changed inside one rewritten entry, e.g. `note "…met twice" → "…met three times"`."""
    parts = []
    for key in [*_ENTRY_FIELDS, *sorted((set(old) | set(new)) - set(_ENTRY_FIELDS))]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key == "note":
            parts.append(note_change(before, after))
        elif key == "status":
            parts.append(f"status {status_text(before)} → {status_text(after)}")
        else:
            parts.append(f"{key.replace('_', ' ')} {value_text(before)} → {value_text(after)}")
    return "; ".join(parts)


def note_change(old: Any, new: Any) -> str:
    """The note before and after: whole when short, else the changed words with some context."""
    if not isinstance(old, str) or not isinstance(new, str):
        return f"note {_quoted(old)} → {_quoted(new)}"
    before, after = " ".join(old.split()), " ".join(new.split())
    if before == after:
        return "note line breaks or spacing changed (same words)"
    if max(len(before), len(after)) <= NOTE_QUOTE_LENGTH:
        return f"note {_quoted(before)} → {_quoted(after)}"
    start = _common_prefix(before, after)
    end = _common_prefix(before[start:][::-1], after[start:][::-1])
    # Widen to whole words, with a little unchanged text either side.
    start = _word_start(before, max(0, start - NOTE_CONTEXT))
    old_stop = _word_end(before, min(len(before), len(before) - end + NOTE_CONTEXT))
    new_stop = _word_end(after, min(len(after), len(after) - end + NOTE_CONTEXT))
    old_part = _ellipsis(start > 0, before[start:old_stop], old_stop < len(before))
    new_part = _ellipsis(start > 0, after[start:new_stop], new_stop < len(after))
    return f"note {_quoted(old_part)} → {_quoted(new_part)}"


def _common_prefix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def _word_start(text: str, index: int) -> int:
    while 0 < index < len(text) and text[index - 1] != " ":
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    while 0 < index < len(text) and text[index] != " ":
        index += 1
    return index


def _ellipsis(before: bool, text: str, after: bool) -> str:
    return ("…" if before else "") + text.strip() + ("…" if after else "")


def _quoted(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else value_text(value)


def _describe_progress(old: Any, new: Any) -> list[str]:
    changes = progress_changes(old, new)
    sentences = [f"progress entry removed: {entry_text(e)}" for e in changes.removed]
    sentences += [f"progress entry {entry_text(a)} rewritten: {rewrite_text(a, b)}" for a, b in changes.rewritten]
    sentences += [f"progress entry added: {entry_text(e)}" for e in changes.added]
    return sentences or ["progress entries reordered"]
