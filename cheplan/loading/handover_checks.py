"""Cross-checks of what `cheplan init` guessed and `cheplan rollover` left open.

Registered like every other cross-check; tests/loading/handover_check_examples.py holds a PASS
and a FAIL example for each.
"""

from __future__ import annotations

from collections.abc import Iterator

from cheplan.domain.source_note import ASKS_CONFIRMATION
from cheplan.loading.checks import CheckContext, Finding, check


@check(
    "unconfirmed-guess",
    "warning",
    "A source note records a guess cheplan made that nobody has confirmed yet (`confirmed: true`).",
)
def unconfirmed_guesses(ctx: CheckContext) -> Iterator[Finding]:
    from cheplan.domain.model import Organisation
    from cheplan.loading.schema import validate_items

    data = ctx.plan_doc.data
    if not isinstance(data, dict) or data.get("organisations") is None:
        organisations: list[tuple[int, Organisation]] = []
    else:
        organisations, _, _ = validate_items(data, ("organisations",), Organisation)
    owners = [("organisations", index, o.id, o.source_notes) for index, o in organisations]
    owners += [("actions", index, f"action {a.id}", a.source_notes) for index, a in ctx.actions]
    for section, index, label, notes in owners:
        for note_index, note in enumerate(notes):
            if ASKS_CONFIRMATION in note.note and not note.confirmed:
                yield Finding(
                    ctx.plan_doc,
                    (section, index, "source_notes", note_index, "note"),
                    f"{label}: {note.printed!r} was {note.note.rstrip('.')}; check it, then add"
                    " `confirmed: true` to this source note",
                )


@check("end-to-be-agreed", "warning", "A carried action's end month is a placeholder until the board agrees one.")
def ends_to_be_agreed(ctx: CheckContext) -> Iterator[Finding]:
    for index, action in ctx.actions:
        if action.carried_from is not None and not action.carried_from.end_agreed:
            yield Finding(
                ctx.plan_doc,
                ("actions", index, "end"),
                f"action {action.id}: the end month {action.end} is a placeholder (the period's last month);"
                " agree a real end with the lead, write it, and set `carried_from.end_agreed: true`",
            )
