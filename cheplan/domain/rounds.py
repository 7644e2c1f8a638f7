"""A returns round: the quarter's request for returns, what was sent to whom, and who replied.

Each round is written into the plan's `rounds:` list by the commands that make it happen
(`returns export --round`, `returns send`, `returns chase`, `returns import --apply`), so the
plan itself remembers that a message went (by its Message-ID) and is never sent twice by
accident, and `chase` knows whose return is missing.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from cheplan.domain.contacts import Contact, MailAddress
from cheplan.domain.fields import IsoDate, NonEmpty, Slug, _Checked
from cheplan.domain.source_note import SCHEMA_CONFIG

ROUND_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
SENT_PATTERN = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"
MessageKind = Literal["send", "chase"]


def round_id_problem(value: str) -> str | None:
    if re.fullmatch(ROUND_ID_PATTERN, value):
        return None
    return f"{value!r} is not a round id: use up to 40 letters, digits, dots, hyphens or underscores, e.g. 2020-Q3"


def sent_problem(value: str) -> str | None:
    from datetime import datetime

    if re.fullmatch(SENT_PATTERN, value):
        try:
            datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            return None
        except ValueError:
            pass
    return f"{value!r} is not a time in UTC as YYYY-MM-DDTHH:MM:SSZ, e.g. 2020-10-01T09:30:00Z"


def message_id_problem(value: str) -> str | None:
    if re.fullmatch(r"<[!-;=?-~]+@[!-;=?-~]+>", value):
        return None
    return f"{value!r} is not a Message-ID: <unique@domain>"


RoundId = Annotated[str, _Checked(round_id_problem, ROUND_ID_PATTERN, "2020-Q3")]
SentAt = Annotated[str, _Checked(sent_problem, SENT_PATTERN, "2020-10-01T09:30:00Z")]
MessageId = Annotated[str, _Checked(message_id_problem, r"^<[^<>@\s]+@[^<>@\s]+>$", "<x@cheplan>")]


@dataclass(frozen=True, slots=True, kw_only=True)
class SentMessage:
    """One message a mail server accepted: to whom, when, and which."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    organisation: Slug
    """The organisation it went to (its id in the directory)."""
    kind: MessageKind
    """`send` (the round's request) or `chase` (a reminder)."""
    to: Annotated[list[MailAddress], NonEmpty]
    """The addresses it was sent to."""
    cc: list[MailAddress] = dataclasses.field(default_factory=list)
    """The addresses it was copied to."""
    message_id: MessageId
    """Its Message-ID header: how a reply or a mail log finds it."""
    sent: SentAt
    """When the server accepted it, in UTC: YYYY-MM-DDTHH:MM:SSZ."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnReceived:
    """An organisation's return for the round, recorded by `returns import --apply`."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    organisation: Slug
    """The organisation whose workbook came back."""
    date: IsoDate
    """The date it was imported, YYYY-MM-DD."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnsRound:
    """One returns round: the workbooks' as-of date, the deadline, the meeting it feeds, and its mail."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    id: RoundId
    """The round's id, e.g. 2020-Q3; each workbook of the round carries it."""
    as_of: IsoDate
    """The date the workbooks were exported as of, YYYY-MM-DD."""
    deadline: IsoDate
    """The date returns are due back, YYYY-MM-DD, as first set."""
    revised_deadlines: list[IsoDate] = dataclasses.field(default_factory=list)
    """Each later deadline, oldest first; the last is the one in force."""
    meeting: IsoDate | None = None
    """The date of the meeting the returns feed, YYYY-MM-DD: one of the plan's `meetings` when it
    lists them (`cheplan meetings` shows the rounds each closes)."""
    messages: list[SentMessage] = dataclasses.field(default_factory=list)
    """Every message sent for the round, oldest first."""
    returned: list[ReturnReceived] = dataclasses.field(default_factory=list)
    """Every return imported for the round, oldest first."""

    @property
    def current_deadline(self) -> str:
        return self.revised_deadlines[-1] if self.revised_deadlines else self.deadline

    def sent_to(self, kind: MessageKind = "send") -> set[str]:
        return {message.organisation for message in self.messages if message.kind == kind}

    def returned_by(self) -> set[str]:
        return {received.organisation for received in self.returned}


def find_round(rounds: list[ReturnsRound], round_id: str) -> ReturnsRound | None:
    return next((r for r in rounds if r.id == round_id), None)


# For the trusted rebuild (cheplan.domain.model.NESTED holds them all).
ROUND_NESTED: dict[type, dict[str, tuple[type, bool]]] = {
    Contact: {},
    SentMessage: {},
    ReturnReceived: {},
    ReturnsRound: {"messages": (SentMessage, True), "returned": (ReturnReceived, True)},
}
