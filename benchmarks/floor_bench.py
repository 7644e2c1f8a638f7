"""The floor under the start-up limits: what the chosen stack costs before cheplan runs a line.

    python benchmarks/floor_bench.py           # 15 paired runs per figure
    python benchmarks/floor_bench.py --quick   # 5

Each figure imports only third-party and standard modules that a command of that kind cannot
do without (Typer parses every command line; the plan's model is made of dataclasses, which
pydantic validates; JSON is written with `json`; the table is drawn by Rich), times it in a
fresh process beside `python -c pass` (median CPU time of paired runs), and compares the ratio
with the no-regression limit of the cheplan command it underlies. A FAIL here means the limit
is below what the stack itself costs: no change inside cheplan can meet it while that stack is
imported. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from figures import HELP_LIMIT, QUERY_JSON_LIMIT, QUERY_TABLE_LIMIT, Figure
from measure import Bench, base_environment

# (label, the modules imported, the limit of the cheplan command that needs at least them)
FLOORS: tuple[tuple[str, str, float], ...] = (
    ("floor of `--help`: `import typer`", "typer", HELP_LIMIT),
    ("floor of `overdue -f json`: `import typer, dataclasses, json`", "typer, dataclasses, json", QUERY_JSON_LIMIT),
    (
        "floor of `overdue` table: `import typer, rich.console, rich.table`",
        "typer, rich.console, rich.table",
        QUERY_TABLE_LIMIT,
    ),
)


def measure_floors(quick: bool) -> list[tuple[str, float, float, float]]:
    """(label, CPU-time ratio to `python -c pass`, limit, the `python -c pass` CPU ms beside it) per floor."""
    runs = 5 if quick else 15
    bench = Bench(runs=runs, slow_runs=runs, env=base_environment(Path(os.devnull)))
    found = []
    for label, modules, target in FLOORS:
        result = bench.measure(label, [sys.executable, "-c", f"import {modules}"], paired=True)
        found.append((label, bench.ratio(label), target, (result.baseline_cpu_seconds or 0) * 1000))
    return found


def figures(quick: bool) -> list[Figure]:
    """Each floor as a ratio to `python -c pass`, measured in pairs, against the limit above it."""
    return [(label, ratio, target, "×") for label, ratio, target, _ in measure_floors(quick)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 paired runs per figure instead of 15")
    args = parser.parse_args(argv)
    for label, ratio, target, baseline_ms in measure_floors(args.quick):
        # What the limit leaves for everything cheplan itself does: its imports, the plan, the output.
        left = (target - ratio) * baseline_ms
        print(f"{label:<80} {ratio:5.2f}×  limit {target:g}×  leaves {left:6.1f} ms of CPU for cheplan")
    return 0


if __name__ == "__main__":
    sys.exit(main())
