"""Listings across plan years: one action followed from year to year, and coverage over the years."""

from __future__ import annotations

from typing import Any

from cheplan.domain.vocabulary import status_label
from cheplan.outputs.listing import Cell, Column, Listing
from cheplan.questions.across_plans import RecommendationAcross, Step
from cheplan.questions.slips import end_cell
from cheplan.questions.trace import TRACE_STATE_LABELS

HISTORY_COLUMNS = [
    Column("action", "Action", no_wrap=True),
    Column("text", "Text", ratio=1, max_chars=60, min_width=24),
    Column("end", "End", max_width=10),
    Column("status", "Status", human=status_label, max_width=11),
    Column("updated", "Updated", when_empty="never", max_width=10),
    Column("carried", "Carried", max_width=12),
]


def _carried(step: Step) -> str:
    parts = []
    carried = step.action.carried_from
    if carried is not None:
        parts.append(f"from {carried.plan}#{carried.action} ({status_label(carried.status)})")
    if step.carried_into:
        parts.append(f"into {step.carried_into}")
    return "; ".join(parts)


def history_listing(steps: list[Step], asked: str) -> Listing:
    """An action year by year: its text, end, status as each plan last recorded it, and where it went."""
    rows: list[dict[str, Cell]] = []
    data: list[dict[str, Any]] = []
    for step in steps:
        entry = step.action.progress_on(step.as_of)
        status = step.action.status_on(step.as_of)
        carried = step.action.carried_from
        rows.append(
            {
                "action": f"{step.label}#{step.action.id}",
                "text": step.action.action,
                "end": end_cell(step.action, step.as_of),
                "status": status,
                "updated": entry.date if entry else None,
                "carried": _carried(step),
            }
        )
        data.append(
            {
                "plan": step.label,
                "id": step.action.id,
                "action": step.action.action,
                "end": step.action.end,
                "status": status,
                "last_update": entry.date if entry else None,
                "as_of": step.as_of.isoformat(),
                "carried_from": None if carried is None else {"plan": carried.plan, "action": carried.action},
                "carried_into": step.carried_into,
            }
        )
    return Listing(data, HISTORY_COLUMNS, rows, title=f"Action {asked} across plan years")


ACROSS_COLUMNS = [
    Column("id", "ID", no_wrap=True),
    Column("title", "Title", ratio=1, max_chars=60, min_width=16),
    Column("actions", "Actions", ratio=1, min_width=12),
    Column("states", "State per year", min_width=16, max_width=24),
]


def trace_across_listing(found: list[RecommendationAcross], labels: list[str], *, uncovered_only: bool) -> Listing:
    """Each recommendation, the actions of every year citing it (labelled by plan), each year's state."""
    shown = [item for item in found if not (uncovered_only and item.covered)]
    rows: list[dict[str, Cell]] = [
        {
            "id": item.trace.recommendation.id,
            "title": item.trace.recommendation.title,
            "actions": item.actions,
            "states": [f"{label}: {TRACE_STATE_LABELS[item.states[label]]}" for label in labels],
        }
        for item in shown
    ]
    data = [
        {
            "id": item.trace.recommendation.id,
            "title": item.trace.recommendation.title,
            "actions": item.actions,
            "states": item.states,
            "covered": item.covered,
        }
        for item in shown
    ]
    covered = sum(1 for item in found if item.covered)
    footer = [f"Covered across {' and '.join(labels)}: {covered} of {len(found)} recommendations."]
    return Listing(data, ACROSS_COLUMNS, rows, title=f"Recommendations across {', '.join(labels)}", footer=footer)
