"""The plan's settings for quarterly returns, whatever the round: who they go back to.

The deadline is a round's (`rounds:`, :mod:`cheplan.domain.rounds`), never a setting here:
one concept, one place, so a workbook and its email cannot give different dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cheplan.domain.fields import Text
from cheplan.domain.source_note import SCHEMA_CONFIG


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnsSettings:
    """What partners are told about sending their returns back."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    coordinator: Text | None = None
    """The plan coordinator's contact (a name, team or mailbox) that returns go back to."""
