"""A round of returns as a whole: what each workbook brings, and who has not returned yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cheplan.domain.combined_status import COORDINATOR, latest_by_reporter
from cheplan.domain.model import Action, Organisation, Plan
from cheplan.domain.rounds import find_round
from cheplan.domain.vocabulary import STATUS_LABELS, STATUSES
from cheplan.questions.actions import is_finished
from cheplan.questions.organisations import Directory, actions_by_organisation
from cheplan.questions.returns import WorkbookReview
from cheplan.questions.rounds import returned_for


@dataclass(frozen=True)
class WorkbookCounts:
    """One workbook's summary line: rows read, entries to record, proposals, asks, problems."""

    rows_read: int
    to_record: int
    proposals: int
    asks: int
    problems: int


def counts_of(review: WorkbookReview, conflicts: int) -> WorkbookCounts:
    recorded = [row.entry for row in review.rows if row.outcome == "record" and row.entry is not None]
    return WorkbookCounts(
        rows_read=review.rows_read,
        to_record=len(recorded),
        proposals=sum(1 for entry in recorded if entry.proposed_end),
        asks=sum(1 for entry in recorded if entry.support_asked),
        problems=len(review.problems) + conflicts,
    )


def not_returned(plan: Plan, directory: Directory, reviews: list[WorkbookReview], as_of: date) -> list[Organisation]:
    """The organisations with unfinished actions on `as_of` whose return is neither among
    `reviews` nor on record for the round a reviewed workbook belongs to."""
    returned = {review.organisation_id for review in reviews if review.organisation_id}
    for round_id in {review.round_id for review in reviews if review.round_id}:
        returned.update(returned_for(find_round(plan.rounds, round_id), []))
    owned = actions_by_organisation(plan, directory)
    missing: dict[str, Organisation] = {}
    for organisation in directory.organisations:
        if organisation.id in returned or organisation.id in missing:
            continue
        if any(not is_finished(action, as_of) for action in owned.get(organisation.id, [])):
            missing[organisation.id] = organisation
    return list(missing.values())


def partners_reported(action: Action, partners: int) -> str:
    """How many of a shared action's `partners` have reported, and what their latest entries say."""
    latest = [e for key, e in latest_by_reporter(action.progress).items() if key != COORDINATOR]
    counts = {status: sum(1 for e in latest if e.status == status) for status in STATUSES}
    said = ", ".join(f"{count} {STATUS_LABELS[status]}" for status, count in counts.items() if count)
    return f"{len(latest)} of {partners} partners reported" + (f": {said}" if said else "")
