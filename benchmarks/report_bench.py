"""Benchmark `cheplan report` against its targets: at most 1 s on the shipped plan, 5 s at 1,000 actions.

    python benchmarks/report_bench.py           # 7 timed runs per figure
    python benchmarks/report_bench.py --quick   # 3 timed runs

Each figure is the median wall clock of separate processes (the `cheplan` script beside the
interpreter, as a user runs it), after one warm-up run that also fills the private caches a
user's first run fills (validation, compiled templates, and Python's bytecode: the children
run without PYTHONDONTWRITEBYTECODE, as in benchmarks/run.py, since an installed cheplan has
it), so it includes interpreter start-up and matplotlib's import. The 1,000-action plan is
the shipped actions repeated with new ids, every third one with a progress entry, so every
section of the report has rows. Standard library, PyYAML (a cheplan dependency) and
benchmarks/measure.py only.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from measure import base_environment

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLAN = REPO / "data" / "plan_2020_21.yaml"
AS_OF = "2020-10-01"
TARGETS = {38: 1.0, 1_000: 5.0}
HUNG_SECONDS = 300


def synthetic_plan(count: int) -> dict[str, Any]:
    """The shipped plan with `count` actions: its own repeated with new ids, a third with progress."""
    data: dict[str, Any] = yaml.safe_load(SHIPPED_PLAN.read_text(encoding="utf-8"))
    shipped = data["actions"]
    actions = []
    for number in range(1, count + 1):
        action = dict(shipped[(number - 1) % len(shipped)], id=number)
        if count != len(shipped) and number % 3 == 0:
            action["progress"] = [{"date": "2020-08-01", "status": "in_progress", "note": f"Update {number}."}]
            action["status"] = "in_progress"
        actions.append(action)
    data["actions"] = actions
    return data


def write_plan(directory: Path, count: int) -> Path:
    path = directory / f"plan_{count}.yaml"
    if count == len(yaml.safe_load(SHIPPED_PLAN.read_text(encoding="utf-8"))["actions"]):
        path.write_bytes(SHIPPED_PLAN.read_bytes())
    else:
        path.write_text(yaml.safe_dump(synthetic_plan(count), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def cheplan_command() -> list[str]:
    script = Path(sys.executable).with_name("cheplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cheplan"]


def run_once(command: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one run, which must succeed.

    The child is waited for without a timeout: with one, subprocess polls for its end every
    50 ms and so rounded every figure up by as much (the medians came in steps of 0.05 s).
    A timer kills a run that hangs instead.
    """
    import threading

    started = time.perf_counter()
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL) as child:
        watchdog = threading.Timer(HUNG_SECONDS, child.kill)
        watchdog.start()
        try:
            code = child.wait()
        finally:
            watchdog.cancel()
    wall = time.perf_counter() - started
    if code:
        raise subprocess.CalledProcessError(code, command)
    return wall


def time_report(plan: Path, format_name: str, runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of `cheplan report` writing to a file, after one warm-up run.

    CPU time (user + system of the child) is what the command costs whatever else the machine
    is doing; wall clock is what a user waits, and grows on a busy machine.
    """
    import resource

    out = plan.with_suffix(".html" if format_name == "html" else ".md")
    command = [*cheplan_command(), "report", "--plan", str(plan), "--as-of", AS_OF, "-f", format_name, "-o", str(out)]
    walls, cpus = [], []
    for run in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = run_once(command, env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run:  # the first run is the warm-up: bytecode, page cache, validation cache
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def figures(quick: bool) -> list[tuple[str, float, float, str]]:
    """(label, measured, target, unit) for each size and format."""
    runs = 3 if quick else 7
    results = []
    with tempfile.TemporaryDirectory(prefix="cheplan-report-bench-") as scratch:
        directory = Path(scratch)
        # As benchmarks/run.py: without PYTHONDONTWRITEBYTECODE, so the warm-up run leaves the
        # compiled bytecode an installed cheplan has (else each run compiles cheplan's modules).
        env = base_environment(directory / "cache")
        for count, target in TARGETS.items():
            plan = write_plan(directory, count)
            for format_name in ("html", "markdown"):
                wall, cpu = time_report(plan, format_name, runs, env)
                results.append((f"cheplan report -f {format_name}, {count:,} actions", wall, target, "s"))
                results.append((f"cheplan report -f {format_name}, {count:,} actions (CPU)", cpu, target, "s"))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="3 timed runs per figure instead of 7")
    options = parser.parse_args()
    rows = figures(options.quick)
    print("| figure | measured | target | |")
    print("|---|---:|---:|---|")
    failed = False
    for label, measured, target, unit in rows:
        passed = measured <= target
        failed = failed or not passed
        print(f"| {label} | {measured:.2f} {unit} | {target:g} {unit} | {'PASS' if passed else 'FAIL'} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
