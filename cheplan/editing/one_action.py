"""One action and the plan around it, read for a command that records an entry on it.

`decide` and `update --org` check the entry against the action (its log, its leads) and the
plan around it (meetings, the board, the directory) before they make it; the write then
validates the whole plan once, with the entry (`record_progress`). Validating the whole plan
before as well was a second full validation: 4 s and most of the time at 100,000 actions.
So the check reads the plan with its other actions left out: its text scanned once for the
action's block, and the rest (small) validated against the schema. The write refuses if the
plan changed after this read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cheplan.domain.model import Action, Plan
from cheplan.editing.blocks import index_actions
from cheplan.editing.record import text_sha256
from cheplan.loading.load import Source, load_plan, validate_sources
from cheplan.loading.locate import display_name


@dataclass(frozen=True)
class ActionInPlan:
    """An action, a plan holding it (with or without its other actions), and the text read."""

    action: Action
    plan: Plan
    text_sha256: str
    """Of the text this was read from: the write refuses if the plan changed since."""


def read_action(plan_path: Path, action_id: int, registers: list[Path], *, whole: bool = False) -> ActionInPlan:
    """Action `action_id` and the plan around it; the whole plan validated, and its problems
    raised, only when it must be (`whole`, or a layout the scan does not know, or a part of
    the plan that does not pass the schema: then it says why)."""
    from cheplan.questions.actions import require_action

    source = Source.read(plan_path)
    digest = text_sha256(source.text)
    text = source.text.replace("\r\n", "\n")  # the scan reads lines as the edit will (CRLF kept in the file)
    around = None if whole else _plan_around(text, action_id, source.name)
    if around is not None and (action := around.action(action_id)) is not None:
        return ActionInPlan(action, around, digest)
    del around, text
    loaded = load_plan(plan_path, registers, cache=True)
    return ActionInPlan(require_action(loaded.plan, action_id, display_name(plan_path)), loaded.plan, digest)


def _plan_around(text: str, action_id: int, name: str) -> Plan | None:
    """The plan in `text` with action `action_id` its only action, if it passes the schema so."""
    index = index_actions(text)
    block = None if index is None else index.block(text, action_id, name)
    if index is None or block is None:
        return None
    alone = text[: index.item_starts[0]] + block.text + text[index.region_end :]
    return validate_sources(Source(alone, name), []).plan
