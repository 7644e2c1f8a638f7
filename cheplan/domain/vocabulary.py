"""The words for an action's state: its statuses, the RAG values a lead can give, and when an
update goes stale. The one list of each, kept free of imports so every stage (and the command
line's option choices, built at start-up) can use it at no cost."""

from __future__ import annotations

from typing import Literal, get_args

Status = Literal["not_reported", "planned", "in_progress", "complete", "dropped"]
STATUSES: tuple[Status, ...] = get_args(Status)
"""Every status, in the order of an action's life: the one list (schema, options, workbooks)."""
# A lead's own judgement on a progress entry; the derived rating adds blue, grey and none.
Rag = Literal["red", "amber", "green"]
RAG_VALUES: tuple[Rag, ...] = get_args(Rag)
"""The RAG values a lead can give, worst first."""
DEFAULT_STALE_DAYS = 120
"""Days after which the latest update is stale (the RAG rating's amber rule, `--stale-days`) when the
plan has no meetings to count from: the one default, changed here only."""
FINISHED_STATUSES: frozenset[str] = frozenset({"complete", "dropped"})
STATUS_LABELS: dict[str, str] = {
    "not_reported": "not reported",
    "planned": "planned",
    "in_progress": "in progress",
    "complete": "complete",
    "dropped": "dropped",
}


def status_label(status: str) -> str:
    """A status as people read it: "in_progress" -> "in progress"."""
    return STATUS_LABELS.get(status, status)
