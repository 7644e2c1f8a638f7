"""Reports for `cheplan trace`: every recommendation with its actions, or one recommendation in full."""

from __future__ import annotations

from datetime import date
from typing import Any

from cheplan.domain.model import Action
from cheplan.domain.words import plural
from cheplan.outputs.listing import Cell, Column, Listing
from cheplan.questions.actions import is_overdue
from cheplan.questions.organisations import Directory, organisations_of
from cheplan.questions.slips import end_json, slip_of
from cheplan.questions.trace import TRACE_STATE_LABELS, RecommendationTrace, Trace

TRACE_COLUMNS = [
    # Fixed widths for ID and State keep every section's table aligned with the others.
    Column("id", "ID", no_wrap=True, min_width=7),
    Column("title", "Title", max_chars=60, ratio=7, min_width=16),
    # 7:6 leaves room at 80 columns for two actions, "1 (2020-06), 2 (2021-03)", on one line.
    # A table lists about ten actions (more when wider), then how many more: a recommendation
    # that 100,000 actions implement is one row, not 1.6 million characters to wrap.
    Column("actions", "Actions", max_chars=120, items="action", ratio=6, min_width=12, when_empty="none"),
    Column("state", "State", no_wrap=True, min_width=11, human=lambda state: TRACE_STATE_LABELS[state]),
]

# Shown when the plan has outcome indicators (a plan without any would only repeat "none").
MEASURED_BY = Column("measured_by", "Measured by", ratio=4, min_width=8, when_empty="none")


def action_brief(action: Action, as_of: date, directory: Directory | None = None) -> dict[str, Any]:
    """What a listing says about one implementing action (a subset of the detailed view's keys);
    with the plan's directory, `organisations` adds their organisations' ids beside the printed leads."""
    return {
        "id": action.id,
        "lead": list(action.lead),
        **({} if directory is None else {"organisations": organisations_of(directory, action)}),
        "end": action.end,
        **end_json(action, as_of),
        "status": action.status_on(as_of),
        "overdue": is_overdue(action, as_of),
    }


def recommendation_json(
    item: RecommendationTrace, as_of: date, directory: Directory | None = None, *, briefs: bool = True
) -> dict[str, Any]:
    """One recommendation in the JSON contract (other tools parse this: keep it stable).
    Without `briefs`, `action_details` is left empty for the caller to fill."""
    recommendation = item.recommendation
    return {
        "id": recommendation.id,
        "title": recommendation.title,
        "source": item.source,
        "section": recommendation.section,
        "section_title": item.section_title,
        "number": recommendation.number,
        "state": item.state,
        "covered": item.covered,
        "actions": [a.id for a in item.actions],
        "action_details": [action_brief(a, as_of, directory) for a in item.actions] if briefs else [],
    }


def trace_json(trace: Trace, shown: list[RecommendationTrace], directory: Directory | None = None) -> dict[str, Any]:
    return {
        "as_of": trace.as_of.isoformat(),
        "sources": [{"code": r.source.code, "title": r.source.title} for r in trace.registers],
        "recommendations": [
            recommendation_json(item, trace.as_of, directory) | {"measured_by": trace.measured_by(item)}
            for item in shown
        ],
        "summary": {
            "total": trace.total,
            "covered": trace.covered,
            "not_covered": trace.total - trace.covered,
            "percent": round(trace.percent, 1),
            "measured": trace.measured,
            "not_measured": trace.total - trace.measured,
            "shown": len(shown),
            "by_state": trace.by_state(),
            "by_section": [
                {"source": s.source, "section": s.section, "title": s.title, "covered": s.covered, "total": s.total}
                for s in trace.by_section()
            ],
        },
        "unknown_references": [{"action": u.action, "reference": u.reference} for u in trace.unknown_references],
        "uncited_actions": [a.id for a in trace.uncited_actions],
        "unchecked_references": {u.source: u.references for u in trace.unchecked},
        "unchecked_distinct_references": {u.source: u.distinct for u in trace.unchecked},
    }


def _action_cell(action: Action, as_of: date) -> str:
    """Short enough for an 80-column table: the id and end month, unless it is finished.

    Overdue needs no mark: an end month before the as-of date on an unfinished action says it.
    A revised end shows beside the baseline, "5 (2020-12→2021-06)", so the slip stays visible.
    """
    status = action.status_on(as_of)
    if status == "dropped":
        return f"{action.id} (dropped)"
    if status == "complete":
        return f"{action.id} (done)"
    slip = slip_of(action, as_of)
    return f"{action.id} ({action.end}→{slip.effective})" if slip else f"{action.id} ({action.end})"


def _group_label(trace: Trace, item: RecommendationTrace) -> str:
    # Section titles such as "Recommendations" only say which review they belong to when prefixed.
    return f"{item.source}: {item.section_title}" if len(trace.registers) > 1 else item.section_title


def summary_lines(trace: Trace) -> list[str]:
    """The coverage summary and everything the registers cannot account for, as sentences."""
    lines = [
        f"Coverage as of {trace.as_of.isoformat()}: {trace.covered} of {trace.total} recommendations"
        f" ({trace.percent:.1f} %) have at least one implementing action (dropped actions do not count)."
    ]
    # Plain indented lines, not a Markdown list: a list would swallow the lines after it.
    lines.append("By section:")
    lines += [
        f"  {s.source}: {s.title}: {s.covered} of {s.total} covered"
        if len(trace.registers) > 1
        else f"  {s.title}: {s.covered} of {s.total} covered"
        for s in trace.by_section()
    ]
    states = [f"{count} {TRACE_STATE_LABELS[state]}" for state, count in trace.by_state().items() if count]
    lines.append(f"By state: {', '.join(states) or 'nothing to trace'}.")
    lines += _unreported_line(trace)
    uncovered = [r.recommendation.id for r in trace.recommendations if not r.covered]
    lines.append(f"Not covered: {', '.join(uncovered) or 'none'}.")
    lines.append(
        f"Measured: {trace.measured} of {trace.total} recommendations have an outcome indicator;"
        f" {trace.total - trace.measured} have none."
    )
    lines += beyond_register_lines(trace)
    return lines


def _unreported_line(trace: Trace) -> list[str]:
    """Say so when no progress is on record: "planned" must not read as work known to be under way."""
    implementing = {a.id: a for r in trace.recommendations for a in r.actions}
    if not implementing:
        return []
    silent = sum(1 for a in implementing.values() if a.status_on(trace.as_of) == "not_reported")
    if silent == len(implementing):
        return [
            f"No progress has been reported on any of the {len(implementing)} implementing actions:"
            " 'planned' means not yet due, not that work is known to be under way."
        ]
    if silent:
        return [f"No progress reported yet on {silent} of the {len(implementing)} implementing actions."]
    return []


def beyond_register_lines(trace: Trace) -> list[str]:
    unknown = "; ".join(f"action {u.action} cites {u.reference}" for u in trace.unknown_references)
    uncited = ", ".join(str(a.id) for a in trace.uncited_actions)
    unchecked = ", ".join(
        f"{u.source} {plural(u.references, 'reference')} ({u.distinct} distinct)" for u in trace.unchecked
    )
    return [
        f"References not in their register: {unknown or 'none'}.",
        f"Actions citing no recommendation: {uncited or 'none'}.",
        f"Cannot be checked, no register loaded: {unchecked or 'nothing'}.",
    ]


def trace_listing(trace: Trace, *, uncovered_only: bool = False, directory: Directory | None = None) -> Listing:
    shown = [r for r in trace.recommendations if not (uncovered_only and r.covered)]
    rows: list[dict[str, Cell]] = [
        {
            "section": _group_label(trace, item),
            "id": item.recommendation.id,
            "title": item.recommendation.title,
            "actions": ", ".join(_action_cell(a, trace.as_of) for a in item.actions),
            "measured_by": ", ".join(trace.measured_by(item)) or None,
            "state": item.state,
        }
        for item in shown
    ]
    titles = " and ".join(r.source.title for r in trace.registers) or "Recommendations"
    scope = "not covered" if uncovered_only else "coverage"
    return Listing(
        # Only a machine format pays for every action's brief.
        data=lambda: trace_json(trace, shown, directory),
        columns=[*TRACE_COLUMNS[:3], MEASURED_BY, TRACE_COLUMNS[3]] if trace.measures else TRACE_COLUMNS,
        rows=rows,
        title=f"{titles}: {scope} as of {trace.as_of.isoformat()}",
        group_by="section",
        footer=summary_lines(trace),
        empty_message=(
            "Every recommendation has at least one implementing action."
            if uncovered_only
            else "No recommendations loaded."
        ),
    )
