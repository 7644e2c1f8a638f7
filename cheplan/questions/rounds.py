"""What a returns round asks of each organisation, and whose return is still missing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from cheplan.domain.model import Action, Plan
from cheplan.domain.rounds import ReturnsRound
from cheplan.questions.actions import due_date, is_finished, is_overdue
from cheplan.questions.organisations import Directory, actions_by_organisation

# "Due" in a cover note: falling due in the quarter the return reports on, from the as-of date.
DUE_WINDOW_DAYS = 92
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"'(])")


@dataclass(frozen=True)
class Asked:
    """One organisation's part of a round: its unfinished actions, and which are overdue or due."""

    unfinished: list[Action]
    overdue: list[Action]
    due: list[Action]


def unfinished_by_organisation(
    plan: Plan, directory: Directory, organisation_ids: list[str], as_of: date
) -> dict[str, list[Action]]:
    """What each organisation is asked about in a return: the actions it owns, unfinished on
    `as_of`, in plan order (one pass over the plan for them all)."""
    owned = actions_by_organisation(plan, directory)
    return {i: [a for a in owned.get(i, []) if not is_finished(a, as_of)] for i in organisation_ids}


def asked_among(unfinished: list[Action], as_of: date) -> Asked:
    """An organisation's `unfinished` actions, with those overdue and those falling due soon."""
    until = as_of + timedelta(days=DUE_WINDOW_DAYS)
    overdue = [a for a in unfinished if is_overdue(a, as_of)]
    due = [a for a in unfinished if as_of <= due_date(a, as_of) <= until]
    return Asked(unfinished, overdue, due)


def first_sentence(text: str) -> str:
    """The first sentence of plan text, whole (never cut mid-word), on one line."""
    flat = " ".join(text.split())
    return _SENTENCE_END.split(flat, maxsplit=1)[0]


def missing_returns(round_: ReturnsRound) -> list[str]:
    """The organisations the round was sent to whose return has not been recorded, in sending order."""
    returned = round_.returned_by()
    sent = [m.organisation for m in round_.messages if m.kind == "send"]
    return [organisation for organisation in dict.fromkeys(sent) if organisation not in returned]


def chased_on(round_: ReturnsRound, organisation_id: str, day: date) -> bool:
    """Whether the organisation was already chased for the round on `day`."""
    return any(
        m.kind == "chase" and m.organisation == organisation_id and m.sent.startswith(day.isoformat())
        for m in round_.messages
    )


@dataclass(frozen=True)
class RoundReturns:
    """Who has returned for a round, counting the workbooks of an import, and who has not."""

    round_id: str
    in_plan: bool
    returned: list[str]  # organisation ids, on record first, then this import's
    importing: list[str]  # the organisations whose workbooks this import brings
    missing: list[str]  # sent to, not returned


def returned_for(round_: ReturnsRound | None, importing: list[str]) -> list[str]:
    """Who has returned for a round: the returns on record first, then those an import brings.
    The one answer behind the import's "not returned" list and the round's `returned` record."""
    on_record = [r.organisation for r in round_.returned] if round_ else []
    return list(dict.fromkeys([*on_record, *importing]))


def returns_by_round(rounds: list[ReturnsRound], imported: list[tuple[str, str]]) -> list[RoundReturns]:
    """For each round the imported workbooks (round id, organisation id) belong to, in order met."""
    found: dict[str, list[str]] = {}
    for round_id, organisation_id in imported:
        found.setdefault(round_id, [])
        if organisation_id not in found[round_id]:
            found[round_id].append(organisation_id)
    summaries = []
    for round_id, organisations in found.items():
        round_ = next((r for r in rounds if r.id == round_id), None)
        returned = returned_for(round_, organisations)
        missing = [o for o in missing_returns(round_) if o not in returned] if round_ else []
        summaries.append(RoundReturns(round_id, round_ is not None, returned, organisations, missing))
    return summaries
