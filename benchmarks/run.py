"""Benchmark cheplan against its speed targets and print one table of figures with PASS/FAIL.

    python benchmarks/run.py           # full run: 15 timed runs per command
    python benchmarks/run.py --quick   # 5 runs (1 for commands over 2 s)

Every figure is a wall-clock median of separate processes, so it includes interpreter
start-up exactly as a user sees it (measure.py). Synthetic plans are written to
benchmarks/out/ (plans.py). The figures of every `benchmarks/*_bench.py` module join the
same table (figures.py). Standard library only; exit 1 when a target fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from commands import (
    external_tools,
    measure_short_actions,
    measure_sizes,
    measure_startup,
    once_per_run_counts,
    table_note_shown,
)
from figures import Figure, everyday_figures, figures_of, other_modules, standing_figures, verdict
from measure import OUT, Bench, base_environment, cheplan_command
from plans import SHORT_ACTIONS, SIZES, schema_file, write_plans, write_short_plan
from report import markdown, targets_table
from stages import stages_in_child


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (5 runs; 1 for commands over 2 s)")
    parser.add_argument("--runs", type=int, help="timed runs per command after the warm-up (default 15; quick 5)")
    parser.add_argument("--no-stages", action="store_true", help="skip the in-process per-stage timings")
    parser.add_argument("--no-others", action="store_true", help="skip the other benchmarks/*_bench.py modules")
    parser.add_argument("--no-tools", action="store_true", help="do not time check-jsonschema and yamllint")
    return parser.parse_args()


def _measure(bench: Bench, args: argparse.Namespace) -> tuple[list[Figure], dict[int, dict[str, float]]]:
    plans = write_plans(OUT)
    tools = {} if args.no_tools else external_tools()
    missing = {"check-jsonschema", "yamllint"} - set(tools)
    if missing and not args.no_tools:
        print(f"not installed, not compared: {', '.join(sorted(missing))} (pip install -e '.[bench]')")
    schema = schema_file(OUT, cheplan_command(), bench.env)
    measure_startup(bench, plans[SIZES[0]])
    measure_sizes(bench, plans, schema, tools)
    measure_short_actions(bench, write_short_plan(OUT), SHORT_ACTIONS)
    note_shown = table_note_shown(plans[SIZES[-1]], bench.env)
    counts = once_per_run_counts(bench.env)
    figures = [*everyday_figures(bench, counts), *standing_figures(bench, note_shown)]
    stages: dict[int, dict[str, float]] = {}
    if not args.no_stages:
        print("in-process stages ...", flush=True)
        for count, plan in plans.items():
            stages[count] = stages_in_child(plan, 3 if args.quick or count >= 10_000 else 5, bench.env)
    if not args.no_others:
        for module in other_modules():
            figures += figures_of(module, args.quick)
    return figures, stages


def main() -> int:
    args = _arguments()
    runs = args.runs or (5 if args.quick else 15)
    OUT.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=OUT))
    bench = Bench(runs=runs, slow_runs=1 if args.quick else 3, env=base_environment(cache))
    machine = f"python {sys.version.split()[0]}, {sys.platform}, {os.cpu_count()} CPUs; {runs} runs per command"
    print(machine, flush=True)
    try:
        figures, stages = _measure(bench, args)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    text = markdown(bench, figures, stages, machine)
    (OUT / "results.md").write_text(text, encoding="utf-8")
    raw = {key: vars(measurement) for key, measurement in bench.results.items()}
    (OUT / "results.json").write_text(
        json.dumps({"commands": raw, "stages": stages, "figures": figures}, indent=2), encoding="utf-8"
    )
    print()
    print(text)
    print("\n".join(targets_table(figures)))  # last, so the verdicts end the output
    return 1 if any(verdict(figure) == "FAIL" for figure in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
