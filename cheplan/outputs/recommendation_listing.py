"""`cheplan trace ID`: one recommendation in full, its verbatim text and each implementing action."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from cheplan.domain.model import Action
from cheplan.domain.vocabulary import STATUS_LABELS
from cheplan.domain.words import plural
from cheplan.outputs.action_listings import action_json, note_json
from cheplan.outputs.listing import Cell, Column, Listing
from cheplan.outputs.trace_listings import recommendation_json
from cheplan.questions.actions import days_overdue, due_date, is_overdue
from cheplan.questions.organisations import Directory
from cheplan.questions.slips import end_json, slip_of
from cheplan.questions.trace import TRACE_STATE_LABELS, RecommendationTrace, Trace, implementing

# The late actions a recommendation's state sentence names before saying how many more are late.
NAMED_LATE = 20


def _state_explained(item: RecommendationTrace, as_of: date) -> str:
    label = f"{TRACE_STATE_LABELS[item.state]} as of {as_of.isoformat()}"
    if item.state == "not_covered":
        return f"{label}: no action in the plan cites {item.recommendation.id}"
    if item.state == "dropped":
        return f"{label}: every action citing it has been dropped"
    if item.state == "overdue":
        late = [a for a in implementing(item.actions, as_of) if is_overdue(a, as_of)]
        named = [f"action {a.id} is {plural(days_overdue(a, as_of), 'day')} late" for a in late[:NAMED_LATE]]
        # Each action's own rows below say how late it is: the sentence need not name 100,000.
        more = f", and {plural(len(late) - NAMED_LATE, 'more action')} (each below)" if len(late) > NAMED_LATE else ""
        return f"{label}: {', '.join(named)}{more}"
    return label


def _action_rows(action: Action, as_of: date) -> list[dict[str, Cell]]:
    status = STATUS_LABELS[action.status_on(as_of)]
    if is_overdue(action, as_of):
        status += f", {plural(days_overdue(action, as_of), 'day')} overdue"
    latest = action.progress_on(as_of)
    if latest is None:
        progress = "none reported"
    else:
        by = f" ({latest.by})" if latest.by else ""
        progress = f"{latest.date}, {STATUS_LABELS[latest.status]}{by}: {latest.note or '(no note)'}"
    return [
        {"field": f"Action {action.id}", "value": action.action},
        {"field": "• Outcomes", "value": action.outcomes},
        {"field": "• Lead", "value": list(action.lead)},
        {"field": "• Dates", "value": _dates(action, as_of)},
        {"field": "• Status", "value": status},
        {"field": "• Last progress", "value": progress},
    ]


def _dates(action: Action, as_of: date) -> str:
    due = f"due {due_date(action, as_of).isoformat()}"
    slip = slip_of(action, as_of)
    if slip is None:
        return f"{action.start} to {action.end} ({due})"
    return f"{action.start} to {action.end}, {slip.sentence()} ({due})"


def _as_of_json(action: Action, as_of: date) -> dict[str, Any]:
    """What was on record on `as_of`: progress reported later does not count yet."""
    entry = action.progress_on(as_of)
    return {
        "status": action.status_on(as_of),
        "last_update": entry.date if entry else None,
        **end_json(action, as_of),
        "due": due_date(action, as_of).isoformat(),
        "overdue": is_overdue(action, as_of),
        "days_overdue": max(0, days_overdue(action, as_of)) if is_overdue(action, as_of) else 0,
    }


def recommendation_detail_listing(
    trace: Trace, item: RecommendationTrace, directory: Directory | None = None
) -> Listing:
    """One recommendation in full: its verbatim text and each implementing action."""
    recommendation = item.recommendation
    as_of = trace.as_of
    register = next(r for r in trace.registers if r.source.code == item.source)

    def data() -> dict[str, Any]:
        # `action_details` stays where recommendation_json puts it; the records fill it in.
        return recommendation_json(item, as_of, directory, briefs=False) | {
            "measured_by": trace.measured_by(item),
            "as_of": as_of.isoformat(),
            "text": recommendation.text,
            "source_notes": [note_json(n) for n in recommendation.source_notes],
        }

    def details() -> Iterator[tuple[Any, ...]]:
        return (tuple((action_json(a, directory) | _as_of_json(a, as_of)).values()) for a in item.actions)

    first = item.actions[:1]
    keys = tuple(action_json(first[0], directory) | _as_of_json(first[0], as_of)) if first else ()
    rows: list[dict[str, Cell]] = [
        {"field": "Source", "value": f"{register.source.title} ({item.source})"},
        {"field": "Section", "value": item.section_title},
    ]
    if recommendation.number is not None:
        rows.append({"field": "Number", "value": recommendation.number})
    rows.append({"field": "Text", "value": recommendation.text})
    rows += [{"field": f"Source note ({n.field})", "value": n.note} for n in recommendation.source_notes]
    rows.append({"field": "State", "value": _state_explained(item, as_of)})
    rows.append({"field": "Measured by", "value": ", ".join(trace.measured_by(item)) or "none"})
    for action in item.actions:
        rows += _action_rows(action, as_of)
    return Listing(
        data=data,
        # Written a slice of actions at a time: 100,000 actions' details are never whole in memory.
        records=(keys, details),
        records_key="action_details",
        columns=[Column("field", "Field", no_wrap=True), Column("value", "Value", ratio=1)],
        rows=rows,
        title=f"{recommendation.id}: {recommendation.title}",
    )
