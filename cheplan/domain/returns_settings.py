"""The plan's settings for the current round of quarterly returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cheplan.domain.fields import IsoDate, Text
from cheplan.domain.source_note import SCHEMA_CONFIG


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnsSettings:
    """What partners are told about sending their returns back."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    deadline: IsoDate | None = None
    """The date returns are due back, YYYY-MM-DD."""
    coordinator: Text | None = None
    """The plan coordinator's contact (a name, team or mailbox) that returns go back to."""
