"""Returns and calendar figures: export every organisation's workbook; import 15 returned workbooks.

    python benchmarks/returns_bench.py [--quick]

`figures(quick)` returns (label, measured, target, unit) rows for benchmarks/run.py to print.
Each time is the median wall clock of separate `cheplan` processes (so it includes start-up,
as a coordinator sees it), on a copy of the shipped plan. The import fills in every row of
15 exported workbooks that between them cover all 38 actions, then records them with
`--apply`; a wrapper counts the plan writes, which must be exactly one.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import spawn_measured

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLAN = REPO / "data" / "plan_2020_21.yaml"
AS_OF = "2021-01-15"
WORKBOOKS = 15
EXPORT_TARGET = IMPORT_TARGET = 2.0

# Runs `cheplan ARGS` counting the plan writes record_progress makes (it must make one).
_COUNTING = """
import sys
import cheplan.editing.record as record
writes = []
real = record.write_atomically
def counted(*args, **kwargs):
    writes.append(args[0])
    return real(*args, **kwargs)
record.write_atomically = counted
from cheplan.cli.app import main
code = main(sys.argv[1:])
sys.stderr.write(f"\\nWRITES {len(writes)}\\n")
sys.exit(code)
"""


# The largest peak resident size (MiB) of any cheplan run here, each child's own: every run is
# spawned by measure.py's small measuring interpreter, never by this process, whose own
# resident set (openpyxl, the workbooks) a child would otherwise inherit at exec.
_PEAKS_MIB: list[float] = []


def _cheplan(*args: str | Path, counting: bool = False) -> tuple[float, subprocess.CompletedProcess[str]]:
    program = ["-c", _COUNTING] if counting else ["-m", "cheplan"]
    command = [sys.executable, *program, *map(str, args)]
    with tempfile.TemporaryDirectory(prefix="cheplan-run-") as scratch:
        out, err = Path(scratch) / "stdout", Path(scratch) / "stderr"
        run = spawn_measured(command, stdout=out, stderr=err)
        done = subprocess.CompletedProcess(
            command, run.code, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")
        )
    _PEAKS_MIB.append(run.peak_mib)
    if done.returncode != 0:
        raise SystemExit(f"cheplan {' '.join(map(str, args))} failed ({done.returncode}):\n{done.stderr}")
    return run.wall, done


def _covering(exported: list[Path]) -> list[Path]:
    """WORKBOOKS workbooks that between them hold every action: greedy cover, then the largest."""
    import openpyxl

    ids = {path: _ids(openpyxl.load_workbook(path)["Return"]) for path in exported}
    chosen: list[Path] = []
    covered: set[int] = set()
    while any(ids[p] - covered for p in exported if p not in chosen):
        best = max((p for p in exported if p not in chosen), key=lambda p: len(ids[p] - covered))
        chosen.append(best)
        covered |= ids[best]
    rest = sorted((p for p in exported if p not in chosen), key=lambda p: -len(ids[p]))
    return (chosen + rest)[:WORKBOOKS]


def _ids(sheet: object) -> set[int]:
    from cheplan.outputs.returns_workbook import HEADER_ROW

    rows = sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)  # type: ignore[attr-defined]
    return {int(row[0]) for row in rows if row and row[0]}


def _fill(path: Path) -> int:
    """Type an update into every row, as a partner returning a full quarter would; rows filled."""
    import openpyxl

    from cheplan.outputs.returns_workbook import HEADER_ROW

    book = openpyxl.load_workbook(path)
    sheet = book["Return"]
    columns = {str(cell.value): int(cell.column or 0) for cell in sheet[HEADER_ROW]}
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        sheet.cell(row=row, column=columns["New status"]).value = "in progress"
        sheet.cell(row=row, column=columns["Date of update"]).value = "2021-01-10"
        sheet.cell(row=row, column=columns["Progress note"]).value = f"Quarter 3 return from {path.stem}."
    book.save(path)
    return sheet.max_row - HEADER_ROW


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def _measure(work: Path, runs: int) -> tuple[float, float, int, int, int]:
    """(export seconds, import seconds, workbooks, actions covered, plan writes)."""
    plan = work / "plan.yaml"
    export_times = []
    for run in range(runs + 1):
        out = work / f"export-{run}"
        elapsed, _ = _cheplan("returns", "export", "--out", out, "--plan", SHIPPED_PLAN, "--as-of", AS_OF)
        if run:  # the first is a warm-up
            export_times.append(elapsed)
    chosen = _covering(sorted((work / "export-0").glob("*.xlsx")))
    import openpyxl

    covered = set().union(*(_ids(openpyxl.load_workbook(p)["Return"]) for p in chosen))
    for path in chosen:
        _fill(path)
    import_times, writes = [], 0
    for run in range(runs + 1):
        shutil.copy(SHIPPED_PLAN, plan)
        elapsed, done = _cheplan(
            "returns", "import", *chosen, "--plan", plan, "--as-of", AS_OF, "--apply", counting=True
        )
        writes = int(done.stderr.rpartition("WRITES ")[2])
        if run:
            import_times.append(elapsed)
    return _median(export_times), _median(import_times), len(chosen), len(covered), writes


def figures(quick: bool) -> list[tuple[str, float, float, str]]:
    """(label, measured, target, unit) for each returns figure. Peak memory is the largest
    resident size of any of the cheplan runs measured, each its own."""
    with tempfile.TemporaryDirectory(prefix="cheplan-returns-bench-") as tmp:
        # The workbooks are signed with a key of the run's own, never the user's.
        before = os.environ.get("CHEPLAN_RETURNS_KEY_FILE")
        os.environ["CHEPLAN_RETURNS_KEY_FILE"] = str(Path(tmp) / "returns-key")
        try:
            exported, imported, books, actions, writes = _measure(Path(tmp), 1 if quick else 5)
        finally:
            if before is None:
                os.environ.pop("CHEPLAN_RETURNS_KEY_FILE", None)
            else:
                os.environ["CHEPLAN_RETURNS_KEY_FILE"] = before
    peak = max(_PEAKS_MIB)
    return [
        ("returns export: every organisation's workbook", exported, EXPORT_TARGET, "s"),
        (f"returns import --apply: {books} workbooks, {actions} actions", imported, IMPORT_TARGET, "s"),
        ("returns import --apply: plan writes", float(writes), 1.0, "writes"),
        ("returns export/import: peak memory of a run", peak, 256.0, "MiB"),
    ]


def main() -> int:
    rows = figures("--quick" in sys.argv[1:])
    print("| figure | measured | target | |")
    print("|---|---:|---:|---|")
    failed = False
    for label, measured, target, unit in rows:
        ok = measured <= target
        failed |= not ok
        print(f"| {label} | {measured:.2f} {unit} | {target:g} {unit} | {'PASS' if ok else 'FAIL'} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
