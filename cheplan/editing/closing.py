"""Close a plan: append its `closed:` block, keeping every other byte.

The plan is a public record: its history is never rewritten. Closing adds one top-level block
at the end of the file, through the same locked, validated, atomic write as `update`.
"""

from __future__ import annotations

import re
from pathlib import Path

from cheplan.domain.errors import WriteRefusedError
from cheplan.editing.files import check_writable, locked_plan, plan_bytes, write_atomically

_CLOSED = re.compile(r"(?:\A|\n)closed:")


def closed_text(text: str, block: str) -> str:
    """`text` with `block` appended; refused when the plan is already closed."""
    if _CLOSED.search(text):
        raise WriteRefusedError("the plan is already closed (it has a `closed:` block); nothing changed", [])
    return text + ("" if not text or text.endswith("\n") else "\n") + block


def close_plan(path: Path, name: str, block: str, *, checked: str | None = None) -> None:
    """Append `block` to the plan at `path`, validated before it replaces the file.

    `checked` is a text of the plan the caller has already validated with this block appended
    (see `placeholder_block`): while the file still holds exactly that text, the result is not
    validated a second time (seconds, on a plan of tens of thousands of actions).
    """
    from cheplan.loading.load import Source, validate_sources

    with locked_plan(path, name) as plan:
        check_writable(plan)
        current = plan.read_text()
        text = closed_text(current, block)
        plan_bytes(plan, text)
        if checked is not None and current == checked:
            write_atomically(plan, text)
            return
        validation = validate_sources(Source(text, name), [])
        if validation.errors:
            raise WriteRefusedError(f"{name} not changed: closing it would make it invalid", validation.errors)
        write_atomically(plan, text)


def check_closable(path: Path, name: str) -> None:
    """Refuse now, before the next plan is written, what `close_plan` could not do (a read-only
    or hard-linked plan, one this user could not give back to its owner)."""
    with locked_plan(path, name) as plan:
        check_writable(plan)
