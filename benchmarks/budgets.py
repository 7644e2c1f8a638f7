"""Hostile and large inputs under the 64 MiB size cap: each must peak at 512 MiB or less and end within 10 s.

    python benchmarks/budgets.py            # generate (once) and measure every case
    python benchmarks/budgets.py --fresh    # write the inputs again first

The inputs are written to benchmarks/out/budget-*.yaml (git-ignored). Each case runs one
cheplan command (`validate FILE`, or `overdue -f json` on the largest valid plans) as a first
run (an empty validation cache, which a valid file's run fills), in a fresh measuring
process, so that RUSAGE_CHILDREN's peak resident size belongs to that one command; the
wall-clock time is measured around it. A run still going after TIMEOUT_SECONDS is killed and
fails, and so does a run that exits with another code than the case expects. The cases sit
just under and over cheplan's budget of YAML values (MAX_NODES, read from
cheplan/domain/caps.py, so they follow it): the cheapest values to write
(`[a, a, ...]`, `[{}, {}, ...]`), unknown keys (one schema problem each), unquoted dates
(one warning each), deep nesting, and plans of the shipped style and of one-line actions. The
table (markdown) is printed and written to benchmarks/out/budgets.md; the exit code is 1 when
a case fails. Standard library only; Linux or macOS.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from budget_inputs import Case, cases

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
REPO = HERE.parent
MIB = 1024 * 1024
PEAK_LIMIT_MIB = 512
TIME_LIMIT_SECONDS = 10.0
TIMEOUT_SECONDS = 120.0

# Runs the command once and reports its wall-clock time, exit code and peak resident size.
_MEASURE_CHILD = """
import json, resource, subprocess, sys, time
command, timeout = json.loads(sys.argv[1]), float(sys.argv[2])
started = time.perf_counter()
try:
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout).returncode
except subprocess.TimeoutExpired:
    code = None
elapsed = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"seconds": elapsed, "cpu": cpu, "code": code, "peak_kib": peak}))
"""


@dataclass(frozen=True)
class Result:
    case: Case
    size_mib: float
    code: int | None
    peak_mib: float
    seconds: float
    cpu_seconds: float  # beside the wall clock: on a busy machine the two differ

    @property
    def passed(self) -> bool:
        return self.code == self.case.code and self.peak_mib <= self.case.peak_mib and self.seconds < self.case.seconds


def generate(case: Case, fresh: bool) -> Path:
    path = OUT / case.file
    if fresh or not path.exists():
        temporary = path.with_suffix(".partial")
        if case.make is not None:
            case.make(temporary)
        elif case.write is not None:
            with temporary.open("w", encoding="utf-8") as out:
                case.write(out)
        temporary.replace(path)
    return path


def cheplan_command(case: Case, path: Path) -> list[str]:
    paths = case.arguments(path) if case.arguments is not None else [path.name]
    return [sys.executable, "-m", "cheplan", *case.command, *paths]


def measure(case: Case, path: Path) -> Result:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHEPLAN_")}
    env["CHEPLAN_RETURNS_KEY_FILE"] = str(OUT / "budget-returns-key")  # the key the workbooks were exported with
    # A first run: an empty validation cache, which a valid file's run then fills (the
    # entry's encoding is part of the peak).
    cache = Path(tempfile.mkdtemp(prefix="budget-cache-", dir=OUT))
    env["CHEPLAN_CACHE_DIR"] = str(cache)
    env["PYTHONPATH"] = str(REPO)  # the checkout's cheplan, installed or not
    try:
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE_CHILD, json.dumps(cheplan_command(case, path)), str(TIMEOUT_SECONDS)],
            capture_output=True,
            text=True,
            env=env,
            cwd=path.parent,
            check=True,
        )
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    raw = json.loads(done.stdout)
    size = path.stat().st_size / MIB
    return Result(case, size, raw["code"], raw["peak_kib"] / 1024, raw["seconds"], raw["cpu"])


def table(results: list[Result]) -> str:
    lines = [
        f"Targets: peak <= {PEAK_LIMIT_MIB} MiB and under {TIME_LIMIT_SECONDS:.0f} s per input, and for"
        " each returns workbook alone 256 MiB and 5 s"
        f" (runs over {TIMEOUT_SECONDS:.0f} s are killed). The verdict is on wall-clock seconds;"
        f" CPU seconds show what a busy machine added (load average {os.getloadavg()[0]:.1f}"
        f" on {os.cpu_count()} CPUs at the end of the run).",
        "",
        "| input | size | cheplan says | exit (expected) | peak MiB | seconds | CPU seconds | verdict |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for result in results:
        code = ("killed" if result.code is None else str(result.code)) + f" ({result.case.code})"
        verdict = "PASS" if result.passed else "FAIL"
        lines.append(
            f"| {result.case.name} | {result.size_mib:.1f} MiB | {result.case.expect} | {code} |"
            f" {result.peak_mib:.0f} | {result.seconds:.2f} | {result.cpu_seconds:.2f} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fresh", action="store_true", help="write the inputs again even if they exist")
    parser.add_argument("--only", help="run only the cases whose file name contains this text")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for case in cases():
        if args.only and args.only not in case.file and args.only not in case.name:
            continue
        path = generate(case, args.fresh)
        result = measure(case, path)
        print(
            f"  {case.file:36s} {result.peak_mib:7.0f} MiB {result.seconds:7.2f} s"
            f" ({result.cpu_seconds:.2f} s CPU)  exit {result.code}",
            flush=True,
        )
        results.append(result)
    report = table(results)
    (OUT / "budgets.md").write_text(report, encoding="utf-8")
    print()
    print(report, end="")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
