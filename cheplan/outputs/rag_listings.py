"""RAG ratings in JSON, and `cheplan stale` as a listing."""

from __future__ import annotations

from typing import Any

from cheplan.domain.vocabulary import status_label
from cheplan.domain.words import plural
from cheplan.outputs.listing import Cell, Column, Listing
from cheplan.questions.organisations import Directory, organisations_of
from cheplan.questions.rag import Rating
from cheplan.questions.stale import Neglected, Staleness


def rag_json(rating: Rating) -> dict[str, Any]:
    """`{"rating", "reasons", "override"}`: the derived rating, why, and the lead's own (or null)."""
    override = rating.override
    return {
        "rating": rating.rating,
        "reasons": list(rating.reasons),
        "override": None
        if override is None
        else {"rating": override.rating, "note": override.note, "date": override.date, "by": override.by},
    }


STALE_GROUP = "group"


def _neglected_json(row: Neglected, directory: Directory, owners: dict[int, list[str]]) -> dict[str, Any]:
    """`owners`: each action's organisations, found once for all the rows of its shares."""
    action = row.action
    if id(action) not in owners:
        owners[id(action)] = organisations_of(directory, action)
    return {
        "id": action.id,
        "action": action.action,
        "theme": action.theme,
        "lead": list(action.lead),
        "organisations": owners[id(action)],
        "organisation": row.organisation,
        "start": action.start,
        "end": action.end,
        "effective_end": row.effective_end,
        "status": row.status,
        "last_update": row.last_update,
        "since": row.since.isoformat(),
        "days": row.days,
    }


def stale_json(found: Staleness, directory: Directory) -> dict[str, Any]:
    """The JSON contract of `cheplan stale` (other tools parse this: keep it stable). As in
    `overdue`, `lead` keeps the printed names and `organisations` adds their organisations' ids."""
    owners: dict[int, list[str]] = {}
    return {
        "as_of": found.as_of.isoformat(),
        "days": found.days,
        "stale": [_neglected_json(row, directory, owners) for row in found.stale],
        "never_reported": [_neglected_json(row, directory, owners) for row in found.never_reported],
    }


STALE_COLUMNS = [
    Column("id", "ID", justify="right", no_wrap=True),
    Column("action", "Action", max_chars=50, ratio=4, min_width=16),
    Column("lead", "Lead", ratio=3, min_width=12),
    Column("status", "Status", min_width=8, max_width=8, human=status_label),
    Column("since", "Since", no_wrap=True),
    Column("days", "Days", justify="right", no_wrap=True),
]


def _lead(row: Neglected, directory: Directory) -> list[str]:
    """The printed leads; a shared action's row names the organisation whose share it is."""
    if row.organisation is None:
        return list(row.action.lead)
    return [f"{directory.name_of(row.organisation)} (share of {', '.join(row.action.lead)})"]


def stale_listing(title: str, found: Staleness, directory: Directory) -> Listing:
    """Two groups: updates older than N days ("Since" is the last update), and started actions
    with no return at all ("Since" is the start of their start month)."""
    stale_group = f"No update for more than {plural(found.days, 'day')}"
    never_group = "No return since they started"
    rows: list[dict[str, Cell]] = []
    for group, found_rows in ((stale_group, found.stale), (never_group, found.never_reported)):
        for row in found_rows:
            rows.append(
                {
                    STALE_GROUP: group,
                    "id": row.action.id,
                    "action": row.action.action,
                    "lead": _lead(row, directory),
                    "status": row.status,
                    "since": row.since.isoformat(),
                    "days": row.days,
                }
            )
    on = found.as_of.isoformat()
    return Listing(
        # Only a machine format pays for every action's object.
        data=lambda: stale_json(found, directory),
        columns=STALE_COLUMNS,
        rows=rows,
        title=f"Stale as of {on}: {title}",
        group_by=STALE_GROUP,
        footer=[
            f"{len(found.stale)} with no update for more than {plural(found.days, 'day')} and"
            f" {len(found.never_reported)} with no return since they started,"
            f" of {plural(found.considered, 'unfinished action')}, as of {on}."
        ],
        empty_message=f"Every unfinished action has an update from the last {plural(found.days, 'day')}.",
    )
