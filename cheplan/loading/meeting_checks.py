"""Cross-checks of the board's meetings and the decisions recorded in progress logs.

Registered with the same decorator as every other cross-check, so `validate` runs them and
tests/loading/test_checks.py holds a PASS and a FAIL example for each. A decision answers
something on record: a proposed end (agreed with the `revised_end` that makes it effective, or
rejected) or ask N of the action (its Nth `support_asked`, in log order).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from cheplan.domain.meetings import Meeting
from cheplan.loading.checks import CheckContext, Finding, check


def _meetings(ctx: CheckContext) -> list[tuple[int, Meeting]]:
    from cheplan.loading.schema import validate_items

    data = ctx.plan_doc.data
    if not isinstance(data, dict) or data.get("meetings") is None:
        return []
    passed, _, _ = validate_items(data, ("meetings",), Meeting)
    return passed


@check("meeting-order", "warning", "Meetings are not listed oldest first, or one date is listed twice.")
def meeting_order(ctx: CheckContext) -> Iterator[Finding]:
    meetings = _meetings(ctx)
    for (_, before), (index, meeting) in pairwise(meetings):
        if meeting.date <= before.date:
            what = "is listed twice" if meeting.date == before.date else f"comes after {before.date}"
            yield Finding(
                ctx.plan_doc, ("meetings", index, "date"), f"meeting {meeting.date} {what}; list meetings oldest first"
            )


@check("papers-after-meeting", "error", "A meeting's papers are due after the meeting.")
def papers_after_meeting(ctx: CheckContext) -> Iterator[Finding]:
    for index, meeting in _meetings(ctx):
        if meeting.papers_due is not None and meeting.papers_due > meeting.date:
            yield Finding(
                ctx.plan_doc,
                ("meetings", index, "papers_due"),
                f"the papers for the meeting of {meeting.date} are due on {meeting.papers_due}, after it",
            )


@check("decision-without-subject", "error", "A decision answers no proposal or ask on record.")
def decision_without_subject(ctx: CheckContext) -> Iterator[Finding]:
    for index, action in ctx.actions:
        proposed = asks = 0
        for entry_index, entry in sorted(enumerate(action.progress), key=lambda pair: pair[1].date):
            proposed += entry.proposed_end is not None
            asks += entry.support_asked is not None
            where = ("actions", index, "progress", entry_index)
            if entry.decision is None:
                if entry.ask is not None or entry.meeting is not None:
                    key = "ask" if entry.ask is not None else "meeting"
                    yield Finding(
                        ctx.plan_doc, (*where, key), f"action {action.id}: `{key}` is given without a decision"
                    )
            elif entry.ask is not None and entry.ask > asks:
                yield Finding(
                    ctx.plan_doc,
                    (*where, "ask"),
                    f"action {action.id}: the decision of {entry.date} answers ask {entry.ask}, but only"
                    f" {asks} ask(s) are on record by then",
                )
            elif entry.ask is None and not proposed:
                yield Finding(
                    ctx.plan_doc,
                    (*where, "decision"),
                    f"action {action.id}: the decision of {entry.date} answers no proposed end on record;"
                    " give `ask: N` if it answers an ask",
                )


@check("agreed-without-end", "error", "A proposed end is agreed without the revised end it sets.")
def agreed_without_end(ctx: CheckContext) -> Iterator[Finding]:
    for index, action in ctx.actions:
        for entry_index, entry in enumerate(action.progress):
            if entry.decision == "agreed" and entry.ask is None and entry.revised_end is None:
                yield Finding(
                    ctx.plan_doc,
                    ("actions", index, "progress", entry_index, "decision"),
                    f"action {action.id}: the proposal agreed on {entry.date} sets no `revised_end`;"
                    " the agreed end month takes effect only through it",
                )


@check("decision-meeting-unknown", "warning", "A decision names a meeting the plan does not list.")
def decision_meeting_unknown(ctx: CheckContext) -> Iterator[Finding]:
    known = {meeting.date for _, meeting in _meetings(ctx)}
    if not known:
        return
    for index, action in ctx.actions:
        for entry_index, entry in enumerate(action.progress):
            if entry.meeting is not None and entry.meeting not in known:
                yield Finding(
                    ctx.plan_doc,
                    ("actions", index, "progress", entry_index, "meeting"),
                    f"action {action.id}: the decision of {entry.date} names a meeting on {entry.meeting},"
                    " which `meetings` does not list",
                )
