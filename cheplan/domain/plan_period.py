"""When a plan runs and who approved it: the parts of its header a new plan year changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cheplan.domain.fields import IsoDate, Month, Text
from cheplan.domain.source_note import SCHEMA_CONFIG


@dataclass(frozen=True, slots=True, kw_only=True)
class Approval:
    """Who approved the plan, and when."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    by: Text
    """The body that approved the plan, e.g. Cabinet."""
    date: IsoDate
    """The date of approval, YYYY-MM-DD (quote it: "2020-04-07")."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    """The months the plan covers."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    start: Month
    """First month of the plan, YYYY-MM (quote it: "2020-04")."""
    end: Month
    """Last month of the plan, YYYY-MM (quote it: "2021-03")."""
