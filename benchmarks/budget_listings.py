"""Budget cases for the read-only listings on 100,000 one-line actions that all cite one recommendation.

That plan is the listings' worst case: `trace` has one recommendation implemented by every
action (a 1.6-million-character cell before it was cut), `trace SELR-1` shows 100,000 actions
in full (600,000 rows), and `actions --limit 0` asks a table of 100,000 rows. The plan is the
same as budget-short-100k.yaml, under its own name so that `budgets.py --only listings`
measures these rows alone; `diff` gets a git repository of its own, the plan committed and
then one action's text changed.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import TextIO

from budget_inputs import Case, short_plan

ACTIONS = 100_000
PLAN = "budget-listings-100k.yaml"
ON = ("--as-of", "2021-01-15")
CHANGED = f"    action: Action {ACTIONS // 2}\n"
THEMES = 5_000
ORGANISATIONS = 1_000


def _diff_repository(temporary: Path) -> None:
    """A git repository holding the plan as committed, and beside it (at `temporary`, which
    becomes plan.yaml) the plan with one action's text changed."""
    repository = temporary.parent
    repository.mkdir(parents=True, exist_ok=True)
    text = io.StringIO()
    short_plan(ACTIONS)(text)
    (repository / "plan.yaml").write_text(text.getvalue(), encoding="utf-8")
    identity = ("-c", "user.name=budget", "-c", "user.email=budget@example.invalid", "-c", "commit.gpgsign=false")
    for command in (("init", "-q"), ("add", "plan.yaml"), (*identity, "commit", "-q", "-m", "the plan")):
        subprocess.run(["git", *command], cwd=repository, check=True)
    changed = text.getvalue().replace(CHANGED, CHANGED.rstrip("\n") + ", revised\n", 1)
    temporary.write_text(changed, encoding="utf-8")


def _theme_each(out: TextIO) -> None:
    """The plan with THEMES themes, each of the first THEMES actions in one of its own."""
    text = io.StringIO()
    short_plan(ACTIONS)(text)
    head, _, actions = text.getvalue().partition("\nactions:\n")
    themes = "".join(f"  - id: t{i}\n    title: Theme {i}\n    description: One action.\n" for i in range(THEMES))
    blocks = actions.split("\n  - id: ")
    for i in range(THEMES):
        blocks[i] = blocks[i].replace("theme: governance", f"theme: t{i}", 1)
    out.write(head.replace("\nthemes:\n", "\nthemes:\n" + themes, 1) + "\nactions:\n" + "\n  - id: ".join(blocks))


def _all_led(out: TextIO) -> None:
    """The plan with ORGANISATIONS organisations, every action led by "All" (counted under each)."""
    text = io.StringIO()
    short_plan(ACTIONS)(text)
    head, _, actions = text.getvalue().partition("\nactions:\n")
    directory = "".join(f"  - id: org{i}\n    name: Organisation {i}\n" for i in range(ORGANISATIONS))
    actions = re.sub(r'    lead:\n      - "[^"]*"\n', '    lead:\n      - "All"\n', actions)
    out.write(f"{head}\norganisations:\n{directory}\nactions:\n{actions}")


def listing_commands() -> list[Case]:
    """Each listing within 512 MiB and 10 s on a first run, or refused at once naming its cap."""
    short = short_plan(ACTIONS)
    detail = ("trace", "SELR-1", *ON)

    def case(command: str, expect: str, code: int, arguments: tuple[str, ...]) -> Case:
        name = f"{ACTIONS:,} one-line actions citing one recommendation, `{command}`"
        return Case(name, PLAN, short, expect, code, (*arguments, "-p"))

    return [
        case("trace", "SELR-1's cell: 9 actions, 'and 99,991 more'", 0, ("trace", *ON)),
        case("trace SELR-1", "the first 200 rows", 0, detail),
        case("trace SELR-1 -f markdown", "600,000 rows", 0, (*detail, "-f", "markdown")),
        case("trace SELR-1 -f json", "100,000 action details", 0, (*detail, "-f", "json")),
        case("actions -f json", "100,000 actions", 0, ("actions", *ON, "-f", "json")),
        case("actions --limit 5000", "5,000 rows", 0, ("actions", *ON, "--limit", "5000")),
        case("actions --limit 0", "refused: at most 5,000 rows", 2, ("actions", *ON, "--limit", "0")),
        Case(
            f"{ACTIONS:,} one-line actions, the first {THEMES:,} each in a theme of its own, `actions --limit 5000`",
            "budget-listings-themes-100k.yaml",
            _theme_each,
            "refused: at most 1,000 groups",
            2,
            ("actions", *ON, "--limit", "5000", "-p"),
        ),
        Case(
            f'{ACTIONS:,} one-line actions each led by "All", {ORGANISATIONS:,} organisations, `organisations`',
            "budget-listings-all-100k.yaml",
            _all_led,
            "refused: too-many-shares (100 million, over MAX_SHARES)",
            1,
            ("organisations", *ON, "-p"),
        ),
        Case(
            f"{ACTIONS:,} one-line actions, `diff` after one action's text changed",
            "budget-listings-diff/plan.yaml",
            None,
            "1 action changed",
            0,
            ("diff", "-p"),
            make=_diff_repository,
        ),
    ]
