"""Budget cases for the commands past validation and the queries: on the largest valid plan each
answers within the budget or refuses at once naming its output cap (cheplan/domain/caps.py); on
a regional unit's plan (10,000 actions of the shipped style) each answers. A first run:
validation included."""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from budget_inputs import Case

ON = ("--as-of", "2021-01-15")


def other_commands(short: Callable[[TextIO], None], regional: Callable[[TextIO], None]) -> list[Case]:
    return [*_at_the_read_caps(short), *against_head(short), *_at_a_regional_unit(regional)]


def _at_the_read_caps(short: Callable[[TextIO], None]) -> list[Case]:
    """100,000 one-line actions, 25,000 for each of 4 organisations: past every output cap but
    one organisation's stale listing."""
    export = ("returns", "export", "--out", "budget-export-out", *ON)
    workbook_cap = "refused: at most 10,000 rows a workbook"

    def case(label: str, expect: str, code: int, arguments: tuple[str, ...]) -> Case:
        return Case(f"100,000 one-line actions, {label}", "budget-short-100k.yaml", short, expect, code, arguments)

    return [
        case("`report` HTML", "refused: at most 10,000 actions", 2, ("report", *ON, "-f", "html", "-p")),
        case(
            "`report --lead nps` Markdown",
            "refused: at most 10,000 actions",
            2,
            ("report", *ON, "--lead", "nps", "-f", "markdown", "-p"),
        ),
        case("`stale`", "refused: at most 50,000 rows", 2, ("stale", *ON, "-p")),
        case("`stale --lead nps -f json`", "25,000 rows", 0, ("stale", *ON, "--lead", "nps", "-f", "json", "-p")),
        case("`calendar`", "refused: at most 10,000 deadlines", 2, ("calendar", *ON, "-p")),
        case("`returns export --lead nps`", workbook_cap, 2, (*export, "--lead", "nps", "-p")),
        case("`returns export` (every organisation)", workbook_cap, 2, (*export, "-p")),
    ]


def _plan_in_git(write: Callable[[TextIO], None]) -> Callable[[Path], None]:
    """A git repository beside `temporary` holding the plan committed, then edited in one action
    (the edited text goes to `temporary`, which becomes the plan.yaml the case reads)."""

    def make(temporary: Path) -> None:
        folder = temporary.parent
        folder.mkdir(parents=True, exist_ok=True)
        text = io.StringIO()
        write(text)
        committed = text.getvalue()
        (folder / "plan.yaml").write_text(committed, encoding="utf-8")
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
        who = ["-c", "user.name=budget", "-c", "user.email=budget@example.org"]
        for command in (["init", "-q"], ["add", "plan.yaml"], [*who, "commit", "-q", "-m", "plan"]):
            subprocess.run(["git", *command], cwd=folder, env=env, check=True, capture_output=True)
        edited = committed.replace("    action: ", "    action: Edited. ", 1)
        temporary.write_text(edited, encoding="utf-8")

    return make


def against_head(short: Callable[[TextIO], None]) -> list[Case]:
    """`validate --against HEAD` and `diff` on 100,000 one-line actions, one edited."""
    file = "budget-git-100k/plan.yaml"
    make = _plan_in_git(short)
    return [
        Case(
            "100,000 one-line actions, `validate --against HEAD`",
            file,
            None,
            "valid, edit rules applied",
            0,
            ("validate", "--against", "HEAD"),
            make=make,
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
