"""One dated progress report on an action: what it says, and whose it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cheplan.domain.fields import AnyText, IsoDate, Month, Slug, Text
from cheplan.domain.source_note import SCHEMA_CONFIG
from cheplan.domain.vocabulary import Rag, Status


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressEntry:
    """One dated progress report on an action."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    date: IsoDate
    """The date of the report, YYYY-MM-DD."""
    status: Status
    """The action's status as of this report."""
    note: AnyText = ""
    """What was done, or why the action was dropped (a reason is required for `dropped`)."""
    by: Text | None = None
    """Who reported it (organisation or officer), optional."""
    revised_end: Month | None = None
    """A board-agreed revised end month, YYYY-MM; `note` must say who agreed it and why. The
    approved `end` stays the baseline; the latest revision on record is the effective end."""
    rag: Rag | None = None
    """The lead's own RAG judgement (red, amber or green), shown beside the derived rating; `note`
    must give the reason."""
    organisation: Slug | None = None
    """The id of the organisation whose report this is (a returns import sets it); none: the
    coordinator's own entry. On a shared action each organisation's latest entry counts."""
    risks: Text | None = None
    """Risks or blockers the lead reports, optional."""
    support_asked: Text | None = None
    """Support the lead asks of the board, optional: it goes to the board report's asks."""
    evidence: Text | None = None
    """Evidence of delivery: what was delivered and where it can be seen (asked for on `complete`)."""
    proposed_end: Month | None = None
    """A new end month the lead proposes, YYYY-MM: a request until the board agrees it (then
    `cheplan update ID --revised-end`). It never changes the effective end."""

    def as_data(self) -> dict[str, str]:
        """The entry as the plan file holds it once read: an empty note and absent fields left out."""
        data = {"date": self.date, "status": self.status, "note": self.note, "by": self.by}
        data |= {"revised_end": self.revised_end, "rag": self.rag, "organisation": self.organisation}
        data |= {"risks": self.risks, "support_asked": self.support_asked, "evidence": self.evidence}
        data |= {"proposed_end": self.proposed_end}
        return {key: value for key, value in data.items() if value}

    def unexplained(self) -> list[tuple[str, str]]:
        """Each judgement (a revised end, a RAG rating) the entry makes without a note giving the
        reason: the field, and what is wrong with it."""
        if self.note.strip():
            return []
        found = []
        if self.revised_end is not None:
            found.append(
                (
                    "revised_end",
                    f"the revised end {self.revised_end} of {self.date} has no note; say who agreed it, when and why",
                )
            )
        if self.rag is not None:
            found.append(("rag", f"the {self.rag} rating of {self.date} has no note giving the reason"))
        if self.proposed_end is not None:
            found.append(("proposed_end", f"the proposed end {self.proposed_end} of {self.date} has no note"))
        return found
