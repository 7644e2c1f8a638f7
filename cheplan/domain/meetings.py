"""The board's meetings and how its report reads the plan: the cycle a board pack follows.

A report is written for one meeting and looks back to the meeting before; a decision records
the meeting that took it. Plain, typed, immutable dataclasses, validated like the rest of the
plan (see :mod:`cheplan.domain.model`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from cheplan.domain.fields import Count, IsoDate, Text
from cheplan.domain.source_note import SCHEMA_CONFIG

# What the board decided on a proposal or an ask.
Decision = Literal["agreed", "rejected"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Meeting:
    """One meeting of the board that owns the plan."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    date: IsoDate
    """The date of the meeting, YYYY-MM-DD."""
    body: Text
    """The body that meets, e.g. the partnership board or its executive."""
    papers_due: IsoDate | None = None
    """The date the papers (the board pack) are due, YYYY-MM-DD, optional; on or before `date`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reporting:
    """How the board report reads the plan."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    stale_days: Count | None = None
    """Days without an update after which an action is stale. Default: no update since the
    meeting before last, or, with no meetings, DEFAULT_STALE_DAYS."""
