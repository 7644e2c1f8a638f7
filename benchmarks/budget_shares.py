"""Budget cases for the "All" fan-out at its cap: 100,000 one-line actions each led by "All".

An action led by "All" belongs to every organisation of the directory, and listings, returns
and JSON name it under each: the work grows with actions × organisations. MAX_SHARES (read from
cheplan/domain/caps.py, so the cases follow it) bounds that product; with 100,000 actions the
directory may hold MAX_SHARES // 100,000 organisations. At the cap, every command answers within
the budget or refuses at once naming its output cap; one organisation more and `validate`
reports `too-many-shares` (exit 1), and every other command refuses the plan as invalid.

`stale` weighs a row for each organisation's share of a shared action (2,000,000 at the cap):
past its own output cap (MAX_STALE_ROWS) it refuses at once, with `--lead` too (100,000 shares).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import TextIO

from budget_inputs import REPO, Case, short_plan

ACTIONS = 100_000
ON = ("--as-of", "2021-01-15")


def max_shares() -> int:
    text = (REPO / "cheplan" / "domain" / "caps.py").read_text(encoding="utf-8")
    found = re.search(r"^MAX_SHARES = ([0-9_]+)$", text, re.MULTILINE)
    if found is None:
        raise SystemExit("MAX_SHARES not found in cheplan/domain/caps.py")
    return int(found.group(1).replace("_", ""))


def all_led(organisations: int, count: int = ACTIONS) -> Callable[[TextIO], None]:
    """`count` one-line actions, each led by "All", and a directory of `organisations`."""

    def write(out: TextIO) -> None:
        text = io.StringIO()
        short_plan(count)(text)
        head, _, actions = text.getvalue().partition("\nactions:\n")
        directory = "".join(f"  - id: org{i}\n    name: Organisation {i}\n" for i in range(organisations))
        actions = re.sub(r'    lead:\n      - "[^"]*"\n', '    lead:\n      - "All"\n', actions)
        out.write(f"{head}\norganisations:\n{directory}\nactions:\n{actions}")

    return write


def share_commands() -> list[Case]:
    """At the cap: the listings whose JSON names each action under each organisation, and the
    output commands for one organisation; one organisation over: refused by validation."""
    at_cap = max_shares() // ACTIONS
    plan, over = "budget-shares-at-cap.yaml", "budget-shares-over-cap.yaml"
    prefix = f'{ACTIONS:,} actions led by "All", {at_cap} organisations'
    export = ("returns", "export", "--out", "budget-shares-export-out", *ON)

    def case(command: str, expect: str, code: int, arguments: tuple[str, ...]) -> Case:
        return Case(f"{prefix}, `{command}`", plan, all_led(at_cap), expect, code, (*arguments, "-p"))

    listings = [
        ("actions -f json", ("actions", *ON, "-f", "json")),
        ("overdue -f json", ("overdue", *ON, "-f", "json")),
        ("due -f json", ("due", *ON, "-f", "json")),
        ("trace -f json", ("trace", *ON, "-f", "json")),
        ("trace SELR-1 -f json", ("trace", "SELR-1", *ON, "-f", "json")),
        ("organisations -f json", ("organisations", *ON, "-f", "json")),
        ("organisations", ("organisations", *ON)),
    ]
    return [
        Case(f"{prefix}, `validate`", plan, all_led(at_cap), "valid", 0),
        *(case(command, "answered", 0, arguments) for command, arguments in listings),
        case("report --lead org0", "refused: at most 10,000 actions", 2, ("report", *ON, "--lead", "org0")),
        case("calendar --lead org0", "refused: at most 10,000 deadlines", 2, ("calendar", *ON, "--lead", "org0")),
        case("returns export --lead org0", "refused: at most 10,000 rows", 2, (*export, "--lead", "org0")),
        case("stale -f json", "refused: at most 50,000 rows", 2, ("stale", *ON, "-f", "json")),
        case("stale --lead org0", "refused: at most 50,000 rows", 2, ("stale", *ON, "--lead", "org0")),
        *_stale_at_its_caps(at_cap),
        Case(
            f'{ACTIONS:,} actions led by "All", {at_cap + 1} organisations, `validate`',
            over,
            all_led(at_cap + 1),
            "too-many-shares",
            1,
        ),
        Case(
            f'{ACTIONS:,} actions led by "All", {at_cap + 1} organisations, `trace -f json`',
            over,
            all_led(at_cap + 1),
            "refused: the plan is not valid",
            1,
            ("trace", *ON, "-f", "json", "-p"),
        ),
        Case(
            f'{ACTIONS:,} actions led by "All", {at_cap + 1} organisations, `actions -f json`',
            over,
            all_led(at_cap + 1),
            "refused: the plan is not valid",
            1,
            ("actions", *ON, "-f", "json", "-p"),
        ),
    ]


def _stale_at_its_caps(at_cap: int) -> list[Case]:
    """`stale` weighs a row for each share: the most rows one run makes, and few rows naming
    50 million organisations (refused)."""
    return [
        Case(
            f'50,000 actions led by "All", {2 * at_cap} organisations, `stale --lead org0 -f json`',
            "budget-shares-stale-most.yaml",
            all_led(2 * at_cap, ACTIONS // 2),
            "50,000 rows: the most one stale run makes",
            0,
            ("stale", *ON, "--lead", "org0", "-f", "json", "-p"),
        ),
        Case(
            '50 actions led by "All", 1,000 organisations, `stale -f json`',
            "budget-shares-stale-names.yaml",
            all_led(1_000, 50),
            "refused: 50 million organisations named",
            2,
            ("stale", *ON, "-f", "json", "-p"),
        ),
    ]
