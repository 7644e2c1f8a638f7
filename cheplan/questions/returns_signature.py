"""The signature that ties a returns workbook to the coordinator's export for one organisation.

The hidden sheet's signed rows (organisation, export date, plan title, plan digest, and each
listed action with the fingerprint of its latest entry) each carry a tag in column C, and the
sheet carries one signature over all of them together: keyed BLAKE2b under the coordinator's
key (:mod:`cheplan.loading.returns_key`). The values are signed, not the bytes, so a re-save
by Excel or LibreOffice still verifies. A row whose tag fails was changed, and is named; a
workbook whose rows all verify but whose signature fails had rows removed, added or taken
from another workbook.

What it proves: this coordinator's cheplan exported the workbook for that organisation, with
those actions, from that plan. What it does not: who typed in it, or that the organisation
sent it (anyone holding the file can fill it in). Pure functions: the key is given.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime

from cheplan.loading.workbook import Cell, Sheet

SIGNED_FIELDS = ("organisation", "exported", "plan", "plan digest")
# Signed when the workbook has it: the returns round it was sent for (older exports have none,
# and still verify; a round row added, changed or removed breaks its tag or the signature).
OPTIONAL_SIGNED = ("round",)
SIGNATURE = "signature"
ACTIONS_HEADER = "action"
_PERSON = b"cheplan-returns"  # keeps these tags apart from any other use of the same key
_TAG_BYTES, _SIGNATURE_BYTES = 16, 32


@dataclass(frozen=True)
class Identity:
    """What a workbook's signature vouches for."""

    fields: dict[str, str]  # SIGNED_FIELDS -> value
    actions: list[tuple[int, str]]  # (action id, fingerprint of its latest entry), in listed order


def _mac(key: bytes, parts: list[object], size: int) -> str:
    text = json.dumps(parts, ensure_ascii=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("ascii"), key=key, digest_size=size, person=_PERSON).hexdigest()


def field_tag(key: bytes, name: str, value: str) -> str:
    return _mac(key, ["field", name, value], _TAG_BYTES)


def action_tag(key: bytes, action_id: int, fingerprint: str) -> str:
    return _mac(key, ["action", action_id, fingerprint], _TAG_BYTES)


def signature(key: bytes, identity: Identity) -> str:
    fields = [[name, identity.fields.get(name, "")] for name in SIGNED_FIELDS]
    fields += [[name, identity.fields[name]] for name in OPTIONAL_SIGNED if name in identity.fields]
    return _mac(key, ["workbook", fields, [list(a) for a in identity.actions]], _SIGNATURE_BYTES)


def cell_text(text: str) -> str:
    """Plan text as a cell can hold it: hidden characters shown as escapes, not dropped or refused."""
    from cheplan.domain.safe_text import visible

    return visible(text, keep="\t\n\r")


def _text(value: object) -> str:
    """A cell's value as it was signed (text); a re-save that typed a date or a whole number keeps it."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _action_id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _cell(row: list[Cell], column: int) -> Cell | None:
    return row[column] if column < len(row) else None


def _matches(tag: Cell | None, expected: str) -> bool:
    # compare_digest takes only ASCII text: a forged tag of any other is simply wrong.
    value = tag.value if tag is not None else None
    return isinstance(value, str) and value.isascii() and hmac.compare_digest(value, expected)


def verify(sheet: Sheet, key: bytes) -> list[tuple[str, str]]:
    """(cell, what is wrong) for each signed row that was changed, or for the signature; [] when it verifies."""
    wrong: list[tuple[str, str]] = []
    fields: dict[str, str] = {}
    actions: list[tuple[int, str]] = []
    signed: Cell | None = None
    listing, verified = False, 0
    for row in sheet.rows:
        label, value = _cell(row, 0), _cell(row, 1)
        if label is None or value is None:
            continue
        if listing:
            action_id = _action_id(label.value)
            fingerprint = _text(value.value)
            if action_id is not None and _matches(_cell(row, 2), action_tag(key, action_id, fingerprint)):
                actions.append((action_id, fingerprint))
            else:
                wrong.append((label.coordinate, f"the signed row for action {_text(label.value)!r} was changed"))
        elif label.value in (*SIGNED_FIELDS, *OPTIONAL_SIGNED) and str(label.value) in fields:
            wrong.append((label.coordinate, f"the signed {label.value} row appears twice"))
        elif label.value in (*SIGNED_FIELDS, *OPTIONAL_SIGNED):
            name, text = str(label.value), _text(value.value)
            fields[name] = text
            if _matches(_cell(row, 2), field_tag(key, name, text)):
                verified += 1
            else:
                wrong.append((value.coordinate, f"the signed {name} was changed (it now reads {text!r})"))
        elif label.value == SIGNATURE:
            signed = value
        listing = listing or label.value == ACTIONS_HEADER
    if signed is None:
        return [("", "the workbook is not signed: it was not exported by this version of cheplan, or was altered")]
    if wrong and not verified and not actions:
        return [("", "the workbook was not signed with this coordinator's key (another coordinator's export?)")]
    missing = [name for name in SIGNED_FIELDS if name not in fields]
    if missing:
        wrong.append(("", f"the signed {', '.join(missing)} row was removed"))
    if not wrong and not _matches(signed, signature(key, Identity(fields, actions))):
        wrong.append(
            (
                signed.coordinate,
                "the signature does not match: rows of this sheet were removed, added or taken from another"
                " workbook, or the workbook was exported with another coordinator's key",
            )
        )
    return wrong
