"""The plan as plain, typed, immutable dataclasses: the domain objects every query works on, and the
schema (pydantic validates raw YAML straight into them, strictly, unknown keys forbidden; see
:mod:`cheplan.loading.schema`). Attribute docstrings become descriptions in the exported JSON Schema."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from cheplan.domain.combined_status import combined_status
from cheplan.domain.fields import AnyText, Count, IsoDate, Month, NonEmpty, Reference, Slug, SourceCode, Text
from cheplan.domain.indicators import INDICATOR_NESTED, Indicator
from cheplan.domain.meetings import Decision, Meeting, Reporting
from cheplan.domain.organisations import ORGANISATION_NESTED

# Organisation has its own module (the directory and its contacts); every stage still imports it from here.
from cheplan.domain.organisations import Organisation as Organisation  # noqa: PLC0414 (an explicit re-export)

# Re-exported: code on other branches imports every plan type from here.
from cheplan.domain.plan_period import Approval as Approval  # noqa: PLC0414
from cheplan.domain.plan_period import Period as Period  # noqa: PLC0414
from cheplan.domain.register import REGISTER_NESTED
from cheplan.domain.returns_settings import ReturnsSettings
from cheplan.domain.rollover import CarriedFrom, PlanClosure
from cheplan.domain.rounds import ROUND_NESTED, ReturnsRound
from cheplan.domain.source_note import SCHEMA_CONFIG, SourceNote
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
    """The lead's own RAG judgement, shown beside the derived rating; `note` must give the reason."""
    organisation: Slug | None = None
    """Whose report this is, by organisation id (a returns import sets it); none: the coordinator's."""
    risks: Text | None = None
    """Risks or blockers the lead reports, optional."""
    support_asked: Text | None = None
    """Support the lead asks of the board, optional: it goes to the board report's asks."""
    evidence: Text | None = None
    """What was delivered and where it can be seen (asked for on `complete`)."""
    proposed_end: Month | None = None
    """A new end month the lead proposes, YYYY-MM: a request, never the effective end, until agreed."""
    decision: Decision | None = None
    """The board's decision this entry records (`cheplan decide`): `agreed` (with `revised_end`, the
    only way a proposed end takes effect) or `rejected` (the baseline stays; `note` says why)."""
    ask: Count | None = None
    """With `decision`: the number of the ask it answers (1: the action's first `support_asked`)."""
    meeting: IsoDate | None = None
    """With `decision`: the date of the meeting that took it, YYYY-MM-DD."""

    def as_data(self) -> dict[str, str | int]:
        """The entry as the plan file holds it once read: an empty note and absent fields left out."""
        data: dict[str, str | int | None] = {"date": self.date, "status": self.status, "note": self.note, "by": self.by}
        data |= {"revised_end": self.revised_end, "rag": self.rag, "organisation": self.organisation}
        data |= {"risks": self.risks, "support_asked": self.support_asked, "evidence": self.evidence}
        data |= {"proposed_end": self.proposed_end}
        data |= {"decision": self.decision, "ask": self.ask, "meeting": self.meeting}
        return {key: value for key, value in data.items() if value}

    def unexplained(self) -> list[tuple[str, str]]:
        """Each judgement (a revised end, a RAG rating) the entry makes without a note giving the
        reason: the field, and what is wrong with it."""
        if self.note.strip():
            return []
        found = []
        if self.revised_end is not None:
            why = f"the revised end {self.revised_end} of {self.date} has no note; say who agreed it, when and why"
            found.append(("revised_end", why))
        if self.rag is not None:
            found.append(("rag", f"the {self.rag} rating of {self.date} has no note giving the reason"))
        if self.proposed_end is not None:
            found.append(("proposed_end", f"the proposed end {self.proposed_end} of {self.date} has no note"))
        if self.decision == "rejected":
            found.append(("decision", f"the rejection of {self.date} has no note giving the board's reason"))
        return found


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """One numbered action of the plan."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    id: Count
    """The action number as printed (a positive integer, unique in the plan)."""
    theme: Slug
    """The id of the theme the action sits under."""
    action: Text
    """The action, verbatim from the source."""
    outcomes: Text
    """The outcomes, verbatim from the source."""
    lead_printed: Text | None = None
    """The lead organisation cell as the source printed it."""
    lead: Annotated[list[Text], NonEmpty]
    """The lead organisation(s), one per entry."""
    start: Month
    """Start month, YYYY-MM."""
    end: Month
    """End month, YYYY-MM: the action is due on the last day of this month."""
    recommendations_printed: Text | None = None
    """The recommendations cell as the source printed it."""
    recommendations: list[Reference] = dataclasses.field(default_factory=list)
    """Canonical references this action implements, SOURCE-ITEM (e.g. SELR-1, JSNA-1.12)."""
    status: Status = "not_reported"
    """The action's status: not_reported (nothing reported yet), planned, in_progress, complete or
    dropped. Once progress is logged it must match the latest entry (`cheplan update` keeps it so)."""
    progress: list[ProgressEntry] = dataclasses.field(default_factory=list)
    """Dated progress log, oldest first; each reporter's latest entry sets the status (the least
    advanced wins). Add entries with `cheplan update`; never delete them: it is a public record."""
    source_notes: list[SourceNote] = dataclasses.field(default_factory=list)
    """Corrections and queries about what the source printed for this action."""
    carried_from: CarriedFrom | None = None
    """The action of an earlier plan this one carries on (written by `cheplan rollover`)."""

    @property
    def latest_progress(self) -> ProgressEntry | None:
        if not self.progress:
            return None
        # Stable: on equal dates the later-written entry wins.
        return max(reversed(self.progress), key=lambda entry: entry.date)

    @property
    def current_status(self) -> Status:
        return combined_status(self.progress) if self.progress else self.status

    @property
    def last_update(self) -> str | None:
        latest = self.latest_progress
        return latest.date if latest else None

    def progress_on(self, day: date) -> ProgressEntry | None:
        """The latest entry dated on or before `day`: what was on record that day."""
        if not self.progress:
            return None  # most actions, and every query asks per action
        cutoff = day.isoformat()  # entry dates are validated ASCII ISO dates, so text order is date order
        reported = [entry for entry in self.progress if entry.date <= cutoff]
        return max(reversed(reported), key=lambda entry: entry.date) if reported else None

    def status_on(self, day: date) -> Status:
        """The status on record on `day`, so a board can see the plan as it stood on a meeting date.

        Before the first progress entry nothing had been reported; with no log at all, the
        `status` field is all there is.
        """
        if not self.progress:
            return self.status
        return combined_status(self.progress, day.isoformat())


@dataclass(frozen=True, slots=True, kw_only=True)
class Theme:
    """A theme of the plan; actions are grouped under themes."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    id: Slug
    """Short id actions refer to, e.g. `root-causes`."""
    title: Text
    """The theme heading as printed."""
    description: AnyText = ""
    """The theme's description as printed."""
    source_notes: list[SourceNote] = dataclasses.field(default_factory=list)
    """Corrections and queries about what the source printed for this theme."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RecommendationSource:
    """An entry of the plan's recommendations key: a source that actions cite."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    code: SourceCode
    """The code used in references, e.g. SELR in SELR-1."""
    name: Text
    """The source's full name, e.g. Southwark Extended Learning Review."""
    source_notes: list[SourceNote] = dataclasses.field(default_factory=list)
    """Corrections and queries about what the source printed in the key."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanMeta:
    """What the plan is, who owns it and where it comes from."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    title: Text
    """The plan's title as printed."""
    board: Text
    """The partnership board that owns the plan."""
    approved: Approval | None = None
    """The approval: `by` (the body) and `date`; absent until the plan is approved."""
    period: Period
    """The plan period: `start` and `end` months, YYYY-MM."""
    source: Text
    """The document the plan was transcribed from."""
    recommendation_key: list[RecommendationSource]
    """The sources actions cite, as the plan's recommendations key lists them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """A multi-agency action plan."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    schema_version: Literal[1]
    """The version of this file format: 1."""
    plan: PlanMeta
    """The plan's title, board, approval, period, source document and recommendations key."""
    themes: list[Theme]
    """The themes actions are grouped under, in printed order."""
    actions: list[Action]
    """The numbered actions. Never delete one: record it as dropped with a reason instead."""
    organisations: list[Organisation] = dataclasses.field(default_factory=list)
    """The partner organisations that lead actions; every printed lead resolves to one of them."""
    closed: PlanClosure | None = None
    """The plan year is over: the date, the actions carried, and the plan that carries them."""
    indicators: list[Indicator] = dataclasses.field(default_factory=list)
    """Outcome indicators: baselines, targets and reported values (see `cheplan indicators`)."""
    meetings: list[Meeting] = dataclasses.field(default_factory=list)
    """The board's meetings, oldest first: a report is for one meeting, since the one before."""
    reporting: Reporting = dataclasses.field(default_factory=Reporting)
    """How the board report reads the plan (e.g. `stale_days`), optional."""
    rounds: list[ReturnsRound] = dataclasses.field(default_factory=list)
    """Each returns round: its deadline, the meeting it feeds, what was sent to whom, who returned."""
    returns: ReturnsSettings = dataclasses.field(default_factory=ReturnsSettings)
    """The returns round's deadline and coordinator's contact, printed on every returns workbook."""

    def action(self, action_id: int) -> Action | None:
        return next((a for a in self.actions if a.id == action_id), None)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)


# How loading.schema.build_trusted rebuilds each class without pydantic: field -> (class, is_list).
NESTED: dict[type, dict[str, tuple[type, bool]]] = {
    SourceNote: {},
    ProgressEntry: {},
    Action: {
        "progress": (ProgressEntry, True),
        "source_notes": (SourceNote, True),
        "carried_from": (CarriedFrom, False),
    },
    CarriedFrom: {},
    PlanClosure: {},
    Theme: {"source_notes": (SourceNote, True)},
    RecommendationSource: {"source_notes": (SourceNote, True)},
    Approval: {},
    Period: {},
    PlanMeta: {
        "approved": (Approval, False),
        "period": (Period, False),
        "recommendation_key": (RecommendationSource, True),
    },
    Organisation: ORGANISATION_NESTED,
    **ROUND_NESTED,
    ReturnsSettings: {},
    Plan: {
        "plan": (PlanMeta, False),
        "themes": (Theme, True),
        "actions": (Action, True),
        "organisations": (Organisation, True),
        "closed": (PlanClosure, False),
        "rounds": (ReturnsRound, True),
        "meetings": (Meeting, True),
        "reporting": (Reporting, False),
        "returns": (ReturnsSettings, False),
        "indicators": (Indicator, True),
    },
    Meeting: {},
    Reporting: {},
    **INDICATOR_NESTED,
    **REGISTER_NESTED,
}
