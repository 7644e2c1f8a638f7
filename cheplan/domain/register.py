"""A register of one review's recommendations, verbatim, as plain typed dataclasses.

Like :mod:`cheplan.domain.model`, these classes are both domain objects and schema.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from cheplan.domain.fields import Count, Month, Reference, Slug, SourceCode, Text
from cheplan.domain.source_note import SCHEMA_CONFIG, SourceNote


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterSource:
    """The document whose recommendations the register holds."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    code: SourceCode
    """The source code every id in this register starts with, e.g. SELR."""
    title: Text
    """The document's title."""
    author: Text | None = None
    """Who wrote it, when known."""
    published: Month | None = None
    """The month it was published, YYYY-MM, when known."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A heading of the source document that recommendations are printed under."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    id: Slug
    """Short id recommendations refer to, e.g. `governance`."""
    title: Text
    """The heading as printed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation:
    """One recommendation of a review, verbatim."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    id: Reference
    """Canonical reference, e.g. SELR-1."""
    section: Slug
    """The id of the section it is printed under."""
    number: Count | None = None
    """The number printed in the source, when it has one."""
    title: Text
    """A short label (editorial, not source text)."""
    text: Text
    """The recommendation, verbatim."""
    source_notes: list[SourceNote] = dataclasses.field(default_factory=list)
    """Corrections and queries about what the source printed for this recommendation."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Register:
    """A register of the recommendations of one source document."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    schema_version: Literal[1]
    """The version of this file format: 1."""
    source: RegisterSource
    """The document whose recommendations these are."""
    sections: list[Section]
    """The headings recommendations are printed under, in printed order."""
    recommendations: list[Recommendation]
    """The recommendations, in printed order."""

    def get(self, reference: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.id == reference), None)

    def section_title(self, section_id: str) -> str:
        return next((s.title for s in self.sections if s.id == section_id), section_id)


# The register's classes for the trusted rebuild (cheplan.domain.model.NESTED holds them all).
REGISTER_NESTED: dict[type, dict[str, tuple[type, bool]]] = {
    RegisterSource: {},
    Section: {},
    Recommendation: {"source_notes": (SourceNote, True)},
    Register: {
        "source": (RegisterSource, False),
        "sections": (Section, True),
        "recommendations": (Recommendation, True),
    },
}
