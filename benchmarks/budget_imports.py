"""Budget cases for `returns import` at the read caps: the 100,000-action plan with one
organisation (NPS) leading 10,000 actions, the most one returns workbook holds, and its export
filled in by the partner (status, date and note typed on 2,000 rows, then on all 10,000).

A dry run and --apply, each a first run (an empty validation cache). Each --apply writes into a
new copy of the plan, made before the measured process starts. The plan and the workbooks are
made here: the workbook is a real `returns export` (signed with the benchmarks' returns key,
the one `budgets.py` gives the import), filled in with openpyxl as a partner's spreadsheet
program would save it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from budget_inputs import Case, short_plan

PLAN = "budget-imports-nps-100k.yaml"
ROUND_PLAN = "budget-imports-round-100k.yaml"  # the same, with the round NPS's return was sent for
WORK = "budget-imports-work.yaml"
ROUND = ("--round", "2021-Q1", "--deadline", "2021-01-31")
ON = ("--as-of", "2021-01-15")
LED = 10_000  # NPS's actions: one workbook's cap (domain/caps.MAX_WORKBOOK_ROWS)
FIRST_INPUT_COLUMN = 8  # New status, then Date of update, then Progress note
FIRST_ROW = 4  # below the return's date and the header row


def _nps_leads_ten_thousand(out: TextIO) -> None:
    """The 100,000 one-line actions, NPS leading its first 10,000 and MPS Southwark the rest of its 25,000."""
    buffer = io.StringIO()
    short_plan(100_000)(buffer)
    led = 0
    for line in buffer.getvalue().splitlines(keepends=True):
        led += line == '      - "NPS"\n'
        out.write('      - "MPS Southwark"\n' if line == '      - "NPS"\n' and led > LED else line)


def _filled(rows: int, *, for_a_round: bool = False) -> Callable[[Path], None]:
    """NPS's exported return with `rows` rows filled in, saved at the path given; `for_a_round`:
    exported for a returns round (recorded in a copy of the plan, ROUND_PLAN)."""

    def make(temporary: Path) -> None:
        import openpyxl
        from budget_workbooks import environment

        plan = temporary.with_name(PLAN)
        if not plan.exists():
            with plan.open("w", encoding="utf-8") as out:
                _nps_leads_ten_thousand(out)
        if for_a_round:
            plan = Path(shutil.copyfile(plan, temporary.with_name(ROUND_PLAN)))
        exported = temporary.with_name("budget-imports-export")
        shutil.rmtree(exported, ignore_errors=True)
        command = [sys.executable, "-m", "cheplan", "returns", "export", "--lead", "nps", "--out", str(exported)]
        command += [*ROUND] if for_a_round else []
        subprocess.run([*command, "--plan", str(plan), *ON], check=True, env=environment(), capture_output=True)
        book = openpyxl.load_workbook(exported / "returns-nps.xlsx")
        sheet = book["Return"]
        typed: list[str | date] = ["in progress", date(2021, 1, 10), "Work continues."]
        for row in range(FIRST_ROW, FIRST_ROW + rows):
            for offset, value in enumerate(typed):
                sheet.cell(row=row, column=FIRST_INPUT_COLUMN + offset, value=value)
        with temporary.open("wb") as saved:
            book.save(saved)
        shutil.rmtree(exported)

    return make


def _into(plan: str) -> Callable[[Path], list[str]]:
    """The workbook, then the plan to import into."""

    def arguments(path: Path) -> list[str]:
        return [path.name, "--plan", plan]

    return arguments


def _into_a_copy(plan: str) -> Callable[[Path], list[str]]:
    """The workbook, then a new copy of `plan` to import into (made before the measured run)."""

    def arguments(path: Path) -> list[str]:
        shutil.copyfile(path.with_name(plan), path.with_name(WORK))
        return [path.name, "--plan", WORK]

    return arguments


def returns_imports() -> list[Case]:
    """NPS's return imported into the 100,000-action plan: a dry run and --apply, 2,000 and 10,000 rows."""
    dry, apply = ("returns", "import", *ON), ("returns", "import", *ON, "--apply")
    some, every = "budget-imports-nps-2000-rows.xlsx", "budget-imports-nps-10000-rows.xlsx"
    sent = "budget-imports-round-2000-rows.xlsx"
    return [
        Case("NPS's return, 2,000 of 10,000 rows filled in, dry run", some, None, "2,000 to record", 0, dry,
             make=_filled(2_000), arguments=_into(PLAN)),
        Case("NPS's return, 2,000 of 10,000 rows filled in, `--apply`", some, None, "2,000 recorded", 0, apply,
             make=_filled(2_000), arguments=_into_a_copy(PLAN)),
        Case("NPS's return, all 10,000 rows filled in, dry run", every, None, "10,000 to record", 0, dry,
             make=_filled(10_000), arguments=_into(PLAN)),
        Case("NPS's return, all 10,000 rows filled in, `--apply`", every, None,
             "refused: over the cap of 2,000,000 values", 2, apply, make=_filled(10_000), arguments=_into_a_copy(PLAN)),
        Case("NPS's return for a round, 2,000 rows filled in, `--apply`", sent, None,
             "2,000 recorded, and the return", 0, apply, make=_filled(2_000, for_a_round=True),
             arguments=_into_a_copy(ROUND_PLAN)),
    ]  # fmt: skip
