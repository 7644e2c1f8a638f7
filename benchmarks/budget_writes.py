"""Budget cases for the commands that write a plan (rollover, decide, update --org, init).

Each run writes into a new copy of its input (made before the measured process starts, so not
timed), so every run is a first run on the same plan: a plan closed by one rollover is not
refused as already closed by the next.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from budget_inputs import Case, short_plan, synthetic_plan

ON = ("--as-of", "2021-03-31")
ROLLOVER = ("rollover", "--to", "2021/22", "--period", "2021-04..2022-03", *ON, "-o", "budget-writes-next.yaml", "-p")
DECIDE = ("decide", "50000", "--agree", "--date", "2021-01-20", "--meeting", "2021-01-20", "-p")
UPDATE_ORG = (
    "update",
    "50000",
    "-s",
    "in_progress",
    "-n",
    "Work started.",
    "--date",
    "2021-01-10",
    "--org",
    "mps",
    "-p",
)
INIT = (
    "init",
    "--title",
    "Test plan 2021/22",
    "--period",
    "2021-04..2022-03",
    "-o",
    "budget-writes-init.yaml",
    "--from",
)
INIT_OUTPUTS = ("budget-writes-init.yaml", "budget-writes-init.SELR.register-stub.yaml")
# The 100,000-action plan's leads, as organisations of a directory (update --org needs one).
DIRECTORY = "".join(
    f"  - id: {key}\n    name: {json.dumps(name)}\n"
    for key, name in (
        ("csp", "LBS Community Safety & Partnerships"),
        ("lbs-childrens", "LBS Children's Services"),
        ("nps", "NPS"),
        ("mps", "MPS Southwark"),
    )
)
PROPOSAL = (
    "    progress:\n"
    '      - date: "2021-01-05"\n'
    "        status: in_progress\n"
    "        note: Work is under way; the lead asks for more time.\n"
    '        proposed_end: "2021-06"\n'
)


def _copied(work: str, *outputs: str) -> Callable[[Path], list[str]]:
    """The arguments that name a new copy of the input, `work`, with `outputs` of a previous run removed."""

    def arguments(path: Path) -> list[str]:
        shutil.copyfile(path, path.with_name(work))
        for name in outputs:
            path.with_name(name).unlink(missing_ok=True)
        return [work]

    return arguments


def _with(actions: int, *, proposal: bool = False, directory: bool = False) -> Callable[[TextIO], None]:
    """The one-line-actions plan, with a proposed end on action 50,000 and/or an organisation directory."""

    def write(out: TextIO) -> None:
        text = _short_text(actions)
        if proposal:
            after = f"  - id: {50_001}\n"
            text = text.replace(after, PROPOSAL + after, 1)
        if directory:
            text += "organisations:\n" + DIRECTORY
        out.write(text)

    return write


def _short_text(actions: int) -> str:
    from io import StringIO

    buffer = StringIO()
    short_plan(actions)(buffer)
    return buffer.getvalue()


def _table(rows: int, words: int, accented: bool) -> Callable[[Path], None]:
    """A table `init` reads: `rows` rows (with the header, at most 5,000), each action and outcome
    `words` words long; every lead its own organisation (the grouping's worst case)."""

    def make(path: Path) -> None:
        pick = random.Random(1).choice
        vocabulary = [
            "alpha",
            "beta",
            "gamma",
            "delta",
            "epsilon",
            "zeta",
            "eta",
            "theta",
            "iota",
            "kappa",
            "lambda",
            "mu",
        ]
        start = "ł " if accented else ""  # one character past Latin-1: every text two bytes a character
        with path.open("w", encoding="utf-8", newline="") as table:
            writer = csv.writer(table)
            writer.writerow(["Theme", "Action", "Outcomes", "Lead", "Start date", "End date", "Recommendations"])
            for n in range(1, rows):
                text = start + " ".join(pick(vocabulary) for _ in range(words))
                lead = f"{pick(vocabulary).title()} {pick(vocabulary).title()} Service {n}"
                writer.writerow(["GOVERNANCE", f"Action {n}: {text}", text, lead, "Apr-21", "Mar-22", "SELR - 1"])

    return make


def plan_writes() -> list[Case]:
    """Each command that writes a plan, on the largest plans: within the budget or refused at once."""
    return [*_rollovers(), *_entries_and_tables()]


def _rollovers() -> list[Case]:
    rollover_out = "budget-writes-next.yaml"
    return [
        Case(
            "100,000 one-line actions, `rollover` (the new plan: 3.3M values)",
            "budget-writes-short-100k.yaml",
            short_plan(100_000),
            "refused: over the cap of 2,000,000 values",
            2,
            ROLLOVER,
            arguments=_copied("budget-writes-100k.yaml", rollover_out),
        ),
        Case(
            "50,000 one-line actions, `rollover` (the new plan: 1.65M values)",
            "budget-writes-short-50k.yaml",
            short_plan(50_000),
            "both plans written",
            0,
            ROLLOVER,
            arguments=_copied("budget-writes-50k.yaml", rollover_out),
        ),
        Case(
            "44,000 actions of the shipped style (40 MB), `rollover` (new plan: 1.98M values, 42 MB)",
            "budget-writes-plan-44k.yaml",
            synthetic_plan(44_000),
            "both plans written",
            0,
            ROLLOVER,
            arguments=_copied("budget-writes-44k.yaml", rollover_out),
        ),
        Case(
            "60,000 one-line actions, `rollover` (the new plan: 1.98M values, just under the cap)",
            "budget-writes-short-60k.yaml",
            short_plan(60_000),
            "both plans written",
            0,
            ROLLOVER,
            arguments=_copied("budget-writes-60k.yaml", rollover_out),
        ),
    ]


def _entries_and_tables() -> list[Case]:
    return [
        Case(
            "100,000 one-line actions, `decide` on a proposed end",
            "budget-writes-proposal-100k.yaml",
            _with(100_000, proposal=True),
            "recorded",
            0,
            DECIDE,
            arguments=_copied("budget-writes-decide-100k.yaml"),
        ),
        Case(
            "100,000 one-line actions, `update --org`",
            "budget-writes-directory-100k.yaml",
            _with(100_000, directory=True),
            "recorded",
            0,
            UPDATE_ORG,
            arguments=_copied("budget-writes-org-100k.yaml"),
        ),
        Case(
            "`init` from a 5,000-row table, 4,999 leads",
            "budget-writes-table-5k.csv",
            None,
            "4,999 actions written",
            0,
            INIT,
            make=_table(5_000, 12, accented=False),
            arguments=_copied("budget-writes-table.csv", *INIT_OUTPUTS),
        ),
        Case(
            "`init` from a 63 MB table of accented text",
            "budget-writes-table-63mb.csv",
            None,
            "4,999 actions written (63 MB)",
            0,
            INIT,
            make=_table(5_000, 1_070, accented=True),
            arguments=_copied("budget-writes-table.csv", *INIT_OUTPUTS),
        ),
    ]
