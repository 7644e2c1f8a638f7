"""Budget cases for the commands past validation and the queries, on the largest valid plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from budget_inputs import Case


def other_commands(short: Callable[[TextIO], None]) -> list[Case]:
    """The commands past the queries on the largest valid plan: each answers within the budget
    or refuses at once naming its cap (a first run: validation included)."""
    on = ("--as-of", "2021-01-15")
    export = ("returns", "export", "--lead", "nps", "--out", "budget-export-out", *on, "-p")
    return [
        Case(
            "100,000 one-line actions, `report` HTML",
            "budget-short-100k.yaml",
            short,
            "the report",
            0,
            ("report", *on, "-f", "html", "-p"),
        ),
        Case(
            "100,000 one-line actions, `calendar`",
            "budget-short-100k.yaml",
            short,
            "refused: at most 20,000",
            2,
            ("calendar", *on, "-p"),
        ),
        Case(
            "100,000 one-line actions, `returns export --lead nps`",
            "budget-short-100k.yaml",
            short,
            "25,000 rows",
            0,
            export,
        ),
    ]
