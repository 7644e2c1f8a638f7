"""How far an action's end has moved: the approved baseline against the agreed revision in force.

Every output shows a slip beside the end month, so a deadline moved by the board is never
read as the one the plan approved. Pure functions; the date is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cheplan.domain.model import Action, ProgressEntry
from cheplan.domain.months import human_month, months_between
from cheplan.domain.words import plural
from cheplan.questions.actions import latest_revision


@dataclass(frozen=True)
class Slip:
    """The approved `end`, the revised end in force, and the progress entry that agreed it."""

    baseline: str
    effective: str
    agreed: str
    note: str

    @property
    def months(self) -> int:
        """How many months later the effective end is (negative when brought forward)."""
        return months_between(self.baseline, self.effective)

    def _change(self) -> str:
        if self.months == 0:
            return "no change"
        sign = "+" if self.months > 0 else "-"
        return f"{sign}{plural(abs(self.months), 'month')}"

    def words(self) -> str:
        """ "Dec 2020 → Jun 2021 (+6 months, agreed 2020-12-01)", for partners' workbooks and calendars."""
        return f"{human_month(self.baseline)} → {human_month(self.effective)} ({self._change()}, agreed {self.agreed})"

    def sentence(self) -> str:
        """ "end Dec 2020 → Jun 2021 (+6 months, agreed 2020-12-01)", for detailed views."""
        return f"end {self.words()}"

    def cell(self) -> str:
        """ "2020-12 → 2021-06 (+6 months, agreed 2020-12-01)", for a table's End column."""
        return f"{self.baseline} → {self.effective} ({self._change()}, agreed {self.agreed})"


def slip_of(action: Action, as_of: date | None = None) -> Slip | None:
    """The revision in force on `as_of` (any date when None), or None when the end never moved."""
    if not action.progress:
        return None  # the common case, asked once per row of every listing
    revision = latest_revision(action, as_of)
    if revision is None or revision.revised_end is None:
        return None
    return Slip(action.end, revision.revised_end, revision.date, revision.note)


def pending_proposal(action: Action, as_of: date | None = None) -> ProgressEntry | None:
    """The latest new end month a lead proposed (on or before `as_of`) that no revision dated on
    or after it has answered: a request for the board, never the effective end."""
    if not action.progress:
        return None
    cutoff = as_of.isoformat() if as_of else None
    entries = [e for e in action.progress if cutoff is None or e.date <= cutoff]
    proposals = [e for e in entries if e.proposed_end is not None]
    if not proposals:
        return None
    latest = max(reversed(proposals), key=lambda entry: entry.date)
    answered = any(e.revised_end is not None and e.date >= latest.date for e in entries)
    return None if answered else latest


def proposal_words(entry: ProgressEntry) -> str:
    """ "proposed: 2021-06, by LBS Family Early Help on 2020-09-30"."""
    who = entry.by or entry.organisation or "the coordinator"
    return f"proposed: {entry.proposed_end}, by {who} on {entry.date}"


TO_BE_AGREED = "to be agreed"


def end_cell(action: Action, as_of: date | None = None) -> str:
    """The End column: the baseline month, or the slip when a revision is in force; a pending
    proposal beside it; a carried action's placeholder end says it is still to be agreed."""
    slip = slip_of(action, as_of)
    cell = slip.cell() if slip else action.end
    carried = action.carried_from
    if slip is None and carried is not None and not carried.end_agreed:
        cell = f"{cell} ({TO_BE_AGREED})"
    proposal = pending_proposal(action, as_of)
    return f"{cell} ({proposal_words(proposal)})" if proposal else cell


# The keys of `end_json`, in its order.
END_KEYS = ("baseline_end", "effective_end", "revision", "proposal")


def end_json(action: Action, as_of: date | None = None) -> dict[str, object]:
    """The JSON fields every action object carries (END_KEYS): `end` stays the baseline for compatibility."""
    slip = slip_of(action, as_of)
    return {
        "baseline_end": action.end,
        "effective_end": slip.effective if slip else action.end,
        "revision": None if slip is None else {"agreed": slip.agreed, "months": slip.months, "note": slip.note},
        "proposal": _proposal_json(pending_proposal(action, as_of)),
    }


def _proposal_json(entry: ProgressEntry | None) -> dict[str, object] | None:
    if entry is None:
        return None
    return {"end": entry.proposed_end, "by": entry.by, "organisation": entry.organisation, "date": entry.date}
