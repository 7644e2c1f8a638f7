"""What each organisation owes: its actions, how many are overdue and how many have no report.

An action led by "All" counts under every organisation, each by its own share. Judged pair by
pair, 100,000 such actions and 100 organisations were 10 million shares (20 s). But an
organisation's share of an action stands on its own entries and the coordinator's, so every
organisation that made no entry of its own has the same share: it is judged once per action,
and only the organisations that reported on it are judged apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cheplan.domain.leads import ALL_PARTNERS
from cheplan.domain.model import Action
from cheplan.questions.organisations import Directory, organisations_of
from cheplan.questions.shares import Share, share_of, share_overdue


@dataclass
class Owed:
    actions: int = 0
    overdue: int = 0
    not_reported: int = 0

    def add(self, other: Owed, sign: int = 1) -> None:
        self.actions += sign * other.actions
        self.overdue += sign * other.overdue
        self.not_reported += sign * other.not_reported


def _counted(action: Action, share: Share, as_of: date) -> Owed:
    return Owed(1, int(share_overdue(action, share, as_of)), int(share.status == "not_reported"))


def owed_by_organisation(directory: Directory, actions: list[Action], as_of: date) -> dict[str, Owed]:
    """Each organisation's counts, as judging `share_of` for every (organisation, action it
    owns) pair would give them, in time linear in the actions and their own entries."""
    ids = [organisation.id for organisation in directory.organisations]
    owed = {organisation_id: Owed() for organisation_id in ids}
    everyone = Owed()  # what the "All" actions add to every organisation alike
    for action in actions:
        if ALL_PARTNERS not in action.lead or len(ids) < 2:
            owners = organisations_of(directory, action)
            for owner in owners:
                owed[owner].add(_counted(action, share_of(action, owner, as_of, shared=len(owners) > 1), as_of))
            continue
        reporters = {e.organisation for e in action.progress if e.organisation in owed}
        others = next((i for i in ids if i not in reporters), None)
        common = _counted(action, share_of(action, others, as_of, shared=True), as_of) if others else Owed(1)
        everyone.add(common)
        for reporter in reporters:  # its own share instead of the common one
            owed[reporter].add(_counted(action, share_of(action, reporter, as_of, shared=True), as_of))
            owed[reporter].add(common, -1)
    for counts in owed.values():
        counts.add(everyone)
    return owed
