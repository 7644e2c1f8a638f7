"""Cross-checks on progress entries, the status they imply and the judgements they make (registered in checks.py)."""

from __future__ import annotations

from collections.abc import Iterator

from cheplan.domain.months import months_between
from cheplan.loading.checks import CheckContext, Finding, check


@check("status-mismatch", "warning", "The status field disagrees with the latest progress entry.")
def status_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    for index, action in ctx.actions:
        latest = action.latest_progress
        if latest is not None and action.current_status != action.status:
            yield Finding(
                ctx.plan_doc,
                ("actions", index, "status"),
                f"action {action.id}: status is {action.status!r} but the progress log"
                f" (latest entry {latest.date}) says {action.current_status!r}; the progress log wins",
            )


@check("progress-order", "warning", "Progress entries are not in date order.")
def progress_order(ctx: CheckContext) -> Iterator[Finding]:
    for index, action in ctx.actions:
        for entry_index in range(1, len(action.progress)):
            if action.progress[entry_index].date < action.progress[entry_index - 1].date:
                yield Finding(
                    ctx.plan_doc,
                    ("actions", index, "progress", entry_index, "date"),
                    f"action {action.id}: progress entry dated {action.progress[entry_index].date} comes after one"
                    f" dated {action.progress[entry_index - 1].date}; keep the log oldest first",
                )


@check("dropped-without-reason", "error", "An action is dropped without a recorded reason.")
def dropped_without_reason(ctx: CheckContext) -> Iterator[Finding]:
    for index, action in ctx.actions:
        if action.current_status != "dropped":
            continue
        latest = action.latest_progress
        if latest is None:
            yield Finding(
                ctx.plan_doc,
                ("actions", index, "status"),
                f"action {action.id} is dropped with no progress entry giving the reason;"
                " the plan is a public record: use `cheplan update ID --status dropped --note REASON`",
            )
        elif not latest.note.strip():
            entry = action.progress.index(latest)
            yield Finding(
                ctx.plan_doc,
                ("actions", index, "progress", entry, "status"),
                f"action {action.id} is dropped on {latest.date} without a reason in `note`",
            )


@check("finished-status-undated", "warning", "An action is marked finished but has no dated progress entry.")
def finished_without_entry(ctx: CheckContext) -> Iterator[Finding]:
    for index, action in ctx.actions:
        if action.status == "complete" and not action.progress:
            yield Finding(
                ctx.plan_doc,
                ("actions", index, "status"),
                f"action {action.id} is {action.status!r} with no dated progress entry saying when",
            )


@check("progress-in-future", "warning", "A progress entry is dated after today.")
def progress_in_future(ctx: CheckContext) -> Iterator[Finding]:
    # A typo like 2031 would outrank every correct entry as the latest one.
    if ctx.today is None:
        return
    today = ctx.today.isoformat()  # dates are YYYY-MM-DD text, so text order is date order
    for index, action in ctx.actions:
        for entry_index, entry in enumerate(action.progress):
            if entry.date > today:
                yield Finding(
                    ctx.plan_doc,
                    ("actions", index, "progress", entry_index, "date"),
                    f"action {action.id}: progress entry dated {entry.date}, after today ({today}); a mistyped"
                    " year would make it the latest entry and set the action's status",
                )


@check("judgement-without-note", "error", "A progress entry gives a revised end or a RAG rating without a note.")
def judgement_without_note(ctx: CheckContext) -> Iterator[Finding]:
    for index, action in ctx.actions:
        for entry_index, entry in enumerate(action.progress):
            for key, why in entry.unexplained():
                yield Finding(
                    ctx.plan_doc, ("actions", index, "progress", entry_index, key), f"action {action.id}: {why}"
                )


@check("revised-end-before-start", "error", "A revised end month is before the action's start.")
def revised_end_before_start(ctx: CheckContext) -> Iterator[Finding]:
    for index, action in ctx.actions:
        for entry_index, entry in enumerate(action.progress):
            if entry.revised_end is not None and months_between(action.start, entry.revised_end) < 0:
                yield Finding(
                    ctx.plan_doc,
                    ("actions", index, "progress", entry_index, "revised_end"),
                    f"action {action.id}: revised end {entry.revised_end} is before the action starts ({action.start})",
                )
