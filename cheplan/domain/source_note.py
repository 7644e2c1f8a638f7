"""A source note: where a source document is wrong or doubtful, kept beside what it printed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cheplan.domain.fields import Text

ASKS_CONFIRMATION = "please confirm"
"""Words a note cheplan writes about its own guess ends with; `validate` warns until a person
sets `confirmed: true` on it."""

# Every schema class: unknown keys are errors, and attribute docstrings become descriptions.
SCHEMA_CONFIG: Any = {"extra": "forbid", "use_attribute_docstrings": True}


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceNote:
    """Where the source document is wrong or inconsistent: what it printed, and the correction."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    field: Text
    """The field this note is about, e.g. `id`, `recommendations`, `end`."""
    printed: Text
    """What the source document printed, verbatim."""
    corrected: Text | None = None
    """The corrected value, when the correction is certain; omitted when the note only flags a doubt."""
    note: Text
    """Why: one or two plain sentences."""
    confirmed: bool = False
    """A person has checked a guess cheplan made (`cheplan init` groups similar leads and asks):
    `validate` warns about each such note until this is true."""
