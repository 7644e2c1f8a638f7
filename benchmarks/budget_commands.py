"""Budget cases for the commands past validation and the queries: on the largest valid plan each
answers within the budget or refuses at once naming its output cap (cheplan/domain/caps.py); on
a regional unit's plan (10,000 actions of the shipped style) each answers. A first run:
validation included."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from budget_inputs import Case

ON = ("--as-of", "2021-01-15")


def other_commands(short: Callable[[TextIO], None], regional: Callable[[TextIO], None]) -> list[Case]:
    return [*_at_the_read_caps(short), *_at_a_regional_unit(regional)]


def _at_the_read_caps(short: Callable[[TextIO], None]) -> list[Case]:
    """100,000 one-line actions, 25,000 for each of 4 organisations: past every output cap."""
    plan = "budget-short-100k.yaml"
    export = ("returns", "export", "--out", "budget-export-out", *ON)
    return [
        Case(
            "100,000 one-line actions, `report` HTML",
            plan,
            short,
            "refused: at most 10,000 actions",
            2,
            ("report", *ON, "-f", "html", "-p"),
        ),
        Case(
            "100,000 one-line actions, `report --lead nps` Markdown",
            plan,
            short,
            "refused: at most 10,000 actions",
            2,
            ("report", *ON, "--lead", "nps", "-f", "markdown", "-p"),
        ),
        Case(
            "100,000 one-line actions, `calendar`",
            plan,
            short,
            "refused: at most 10,000 deadlines",
            2,
            ("calendar", *ON, "-p"),
        ),
        Case(
            "100,000 one-line actions, `returns export --lead nps`",
            plan,
            short,
            "refused: at most 10,000 rows a workbook",
            2,
            (*export, "--lead", "nps", "-p"),
        ),
        Case(
            "100,000 one-line actions, `returns export` (every organisation)",
            plan,
            short,
            "refused: at most 10,000 rows a workbook",
            2,
            (*export, "-p"),
        ),
    ]


def _at_a_regional_unit(regional: Callable[[TextIO], None]) -> list[Case]:
    """10,000 actions of the shipped style, 15 organisations: under every output cap."""
    plan = "budget-plan-10k.yaml"
    return [
        Case("10,000-action plan, `report` HTML", plan, regional, "the report", 0, ("report", *ON, "-f", "html", "-p")),
        Case(
            "10,000-action plan, `report` Markdown",
            plan,
            regional,
            "the report",
            0,
            ("report", *ON, "-f", "markdown", "-p"),
        ),
        Case(
            "10,000-action plan, `returns export` (every organisation)",
            plan,
            regional,
            "15 workbooks, 22,099 rows",
            0,
            ("returns", "export", "--out", "budget-export-10k", *ON, "-p"),
        ),
        Case("10,000-action plan, `calendar`", plan, regional, "the feed", 0, ("calendar", *ON, "-p")),
    ]
