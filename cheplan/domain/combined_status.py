"""The one rule for an action's status when several organisations report on it.

Every organisation's latest entry dated on or before the day counts; an entry without an
organisation is the coordinator's, and the coordinator counts as an organisation of its own.
The status is the least advanced of those latest entries (planned < in progress < complete),
so an action is complete only when every organisation that has reported says so, and an
organisation that never reported does not hold it back. A latest entry saying dropped drops
the action: only the coordinator (or, on an action with a single lead, that lead) may drop
one, which the import and `update` enforce. With one reporter, the rule is "the latest entry".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from cheplan.domain.vocabulary import Status

if TYPE_CHECKING:
    from cheplan.domain.model import ProgressEntry

COORDINATOR = ""
"""The key of the coordinator's entries (those without an organisation)."""
ADVANCE: dict[str, int] = {"not_reported": 0, "planned": 1, "in_progress": 2, "complete": 3}
"""How far along each status is; the least advanced latest entry sets a shared action's status."""


def reporter(entry: ProgressEntry) -> str:
    """Whose entry this is: its organisation's id, or COORDINATOR."""
    return entry.organisation or COORDINATOR


def latest_by_reporter(progress: Iterable[ProgressEntry], cutoff: str | None = None) -> dict[str, ProgressEntry]:
    """Each reporter's latest entry dated on or before `cutoff` (an ISO date; None: all), in the
    order reporters first appear; on equal dates the later-written entry wins."""
    latest: dict[str, ProgressEntry] = {}
    for entry in progress:
        if cutoff is not None and entry.date > cutoff:
            continue
        key = reporter(entry)
        held = latest.get(key)
        if held is None or entry.date >= held.date:
            latest[key] = entry
    return latest


def least_advanced(latest: Sequence[ProgressEntry]) -> Status:
    """The status the rule gives for these latest entries ("not_reported" for none)."""
    if not latest:
        return "not_reported"
    if any(entry.status == "dropped" for entry in latest):
        return "dropped"
    return min(latest, key=lambda entry: ADVANCE.get(entry.status, 0)).status


def combined_status(progress: Sequence[ProgressEntry], cutoff: str | None = None) -> Status:
    """The action's status by the rule, from its whole log, on `cutoff` (None: now)."""
    return least_advanced(list(latest_by_reporter(progress, cutoff).values()))
