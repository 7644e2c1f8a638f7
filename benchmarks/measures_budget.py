"""Hostile Measures sheets (a returns workbook's indicator values) against the workbook budget.

    python benchmarks/measures_budget.py

Each case is one `cheplan returns import` of a workbook exported from the illustrative plan
(examples/plan_with_indicators.yaml), its Measures sheet made hostile, run in a fresh measuring
process (benchmarks/measure.py): it must exit as expected, peak at PEAK_LIMIT_MIB or less and
end within TIME_LIMIT_SECONDS. The cases: every kind of bad cell (formulas, text, 10^60, NaN,
infinity); 1,500 rows with every value and note typed (read, each repeated row a problem); a
sheet just under the reader's row cap, the same out to the column cap, and a 50,000-row sheet
(each refused by the workbook caps before its cells are read). The
table is printed and written to benchmarks/out/measures_budget.md; exit 1 when a case fails.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from measure import spawn_measured

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLE = REPO / "examples" / "plan_with_indicators.yaml"
AS_OF = "2021-04-15"
OWNER = "lbs-public-health"
PEAK_LIMIT_MIB = 256
TIME_LIMIT_SECONDS = 5.0
ROW_CAP = 5_000  # cheplan.loading.workbook.MAX_ROWS
COLUMN_CAP = 200  # cheplan.loading.workbook.MAX_COLUMNS


@dataclass(frozen=True)
class Case:
    name: str
    fill: Callable[[Any], None]  # makes the Measures sheet (openpyxl) hostile
    code: int  # 1: problems at cells, nothing recorded; 2: refused as unreadable


def _hostile_cells(sheet: Any) -> None:
    for row, values in ((2, ["=SUM(20,4)", "lots", 1e60, "NaN"]), (3, [39, "38", -1, 2.5])):
        for number, value in enumerate(values):
            sheet.cell(row=row, column=9 + 3 * number).value = value


def _rows(count: int, columns: int) -> Callable[[Any], None]:
    def fill(sheet: Any) -> None:
        for row in range(6, count + 1):
            sheet.cell(row=row, column=1).value = "youth-service-engagement"
            for column in range(8, columns + 1, 3):
                sheet.cell(row=row, column=column).value = "2020-Q2"
                sheet.cell(row=row, column=column + 1).value = 24
                sheet.cell(row=row, column=column + 2).value = "A note typed in every row."

    return fill


CASES = [
    Case("bad cells: formulas, text, 10^60, NaN", _hostile_cells, 1),
    Case("1,500 rows, 4 periods typed", _rows(1_500, 19), 1),  # read: each repeated row a problem
    Case(f"{ROW_CAP - 1:,} rows, 4 periods typed", _rows(ROW_CAP - 1, 19), 2),  # over the XML element cap
    Case(f"{ROW_CAP - 1:,} rows x {COLUMN_CAP} columns typed", _rows(ROW_CAP - 1, COLUMN_CAP), 2),
    Case("50,000 rows", _rows(50_000, 10), 2),
]


def _workbook(folder: Path, case: Case) -> Path:
    import openpyxl

    exported = folder / "out" / f"returns-{OWNER}.xlsx"
    book = openpyxl.load_workbook(exported)
    case.fill(book["Measures"])
    target = folder / f"{case.name.split(':')[0].replace(' ', '-').replace(',', '')}.xlsx"
    book.save(target)
    return target


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="measures-budget-"))
    try:
        plan = folder / "plan.yaml"
        shutil.copyfile(EXAMPLE, plan)
        cheplan = [sys.executable, "-m", "cheplan"]
        export = [*cheplan, "returns", "export", "--out", "out", "--plan", "plan.yaml", "--lead", OWNER]
        subprocess.run([*export, "--as-of", AS_OF], cwd=folder, check=True, capture_output=True)
        lines = [
            f"Targets: exit as expected, peak <= {PEAK_LIMIT_MIB} MiB, under {TIME_LIMIT_SECONDS:.0f} s per workbook.",
            "",
            "| Measures sheet | exit (expected) | peak MiB | seconds | CPU seconds | verdict |",
            "|---|---:|---:|---:|---:|---|",
        ]
        passed = True
        for case in CASES:
            book = _workbook(folder, case)
            command = [*cheplan, "returns", "import", book.name, "--plan", "plan.yaml", "--as-of", AS_OF]
            run = spawn_measured(command, cwd=folder)
            ok = run.code == case.code and run.peak_mib <= PEAK_LIMIT_MIB and run.wall < TIME_LIMIT_SECONDS
            passed = passed and ok
            lines.append(
                f"| {case.name} | {run.code} ({case.code}) | {run.peak_mib:.0f} | {run.wall:.2f} | {run.cpu:.2f}"
                f" | {'PASS' if ok else 'FAIL'} |"
            )
            print(lines[-1], flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report = "\n".join(lines) + "\n"
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "measures_budget.md").write_text(report, encoding="utf-8")
    print()
    print(report, end="")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
