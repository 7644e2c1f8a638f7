"""A partner organisation of the plan's directory: how printed leads resolve to one owner, and
who receives its returns (its contacts)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from cheplan.domain.contacts import Contact
from cheplan.domain.fields import Slug, Text
from cheplan.domain.source_note import SCHEMA_CONFIG, SourceNote

__all__ = ["ORGANISATION_NESTED", "Contact", "Organisation"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Organisation:
    """A partner organisation that leads actions: how printed leads resolve to one owner."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    id: Slug
    """Canonical id, e.g. `lbs-community-safety`; used by `--lead` and in returns and calendars."""
    name: Text
    """The organisation's name as people say it."""
    aliases: list[Text] = dataclasses.field(default_factory=list)
    """Every other way the plan prints this organisation as a lead, verbatim."""
    contact: Text | None = None
    """Who to send returns to or ask about them (a team or mailbox), optional."""
    contacts: list[Contact] = dataclasses.field(default_factory=list)
    """The people `returns send` mails: name, email, role; at most one `primary: true`."""
    source_notes: list[SourceNote] = dataclasses.field(default_factory=list)
    """Why a printed lead that is not obviously this organisation maps to it."""


# For the trusted rebuild (cheplan.domain.model.NESTED holds every class's entry).
ORGANISATION_NESTED: dict[str, tuple[type, bool]] = {"source_notes": (SourceNote, True), "contacts": (Contact, True)}
