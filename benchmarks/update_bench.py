"""What `cheplan update` costs: at 10,000 actions, and against a cold `validate` of the shipped plan.

Every figure is measured in a fresh `python -m cheplan` subprocess (start-up and imports
included, as an officer pays them), on a fresh copy of the plan, with an empty cache directory.
Update and validate runs are interleaved so that a busy machine slows both alike; times are
the best of several runs (the least disturbed, as timeit reports), memory the largest peak.
CPU time (user + system) is shown too: on a shared, busy machine it is the steadier figure.
Run `python benchmarks/update_bench.py [--quick]` for a PASS/FAIL table; the lead's benchmark
imports `figures`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from measure import spawn_measured
from plans import synthetic_plan

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLAN = REPO / "data" / "plan_2020_21.yaml"
OUT = REPO / "benchmarks" / "out"

Figure = tuple[str, float, float, str]  # (label, measured, target, unit)

TARGET_SECONDS_10K = 2.0
TARGET_MIB_10K = 150.0
TARGET_RATIO_SHIPPED = 1.2


def large_plan(count: int) -> Path:
    """benchmarks/out/plan_COUNT.yaml, written once."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"plan_{count}.yaml"
    text = synthetic_plan(count)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def _environment(cache: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CHEPLAN_")}
    env["CHEPLAN_CACHE_DIR"] = str(cache)
    env["PYTHONPATH"] = str(REPO)
    env["COLUMNS"] = "80"
    return env


def run_once(args: list[str], work: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MiB of one `python -m cheplan ARGS` run, with an empty cache.

    Spawned by measure.py's small measuring interpreter, so the peak is the run's own, not
    this process's resident set inherited at exec.
    """
    cache = Path(tempfile.mkdtemp(dir=work, prefix="cache-"))
    command = [sys.executable, "-m", "cheplan", *args]
    # stderr goes to a file, not a pipe: a run that says a lot must not block on a full pipe.
    stderr = work / "stderr"
    run = spawn_measured(command, env=_environment(cache), cwd=work, stderr=stderr)
    shutil.rmtree(cache, ignore_errors=True)
    if run.code != 0:
        errors = stderr.read_text(encoding="utf-8", errors="replace")
        raise RuntimeError(f"{' '.join(args)} exited {run.code}: {errors}")
    return run.wall, run.cpu, run.peak_mib


def update_args(plan: Path, action_id: int) -> list[str]:
    note = "Benchmark: partners met and agreed the next steps."
    return [
        "update",
        str(action_id),
        "--status",
        "in_progress",
        "--note",
        note,
        "--date",
        "2020-10-01",
        "--plan",
        str(plan),
    ]


def measure_update(source: Path, action_id: int, runs: int, work: Path) -> list[tuple[float, float, float]]:
    """Update the last action of a fresh copy of `source`, `runs` times: (wall s, CPU s, MiB) per run."""
    results = []
    for _ in range(runs):
        plan = work / source.name
        shutil.copyfile(source, plan)
        results.append(run_once(update_args(plan, action_id), work))
    return results


def measure_pair(source: Path, action_id: int, runs: int, work: Path) -> dict[str, float]:
    """Best wall and CPU seconds of update and of cold validate on the same file, runs interleaved."""
    updates: list[tuple[float, float, float]] = []
    validates: list[tuple[float, float, float]] = []
    for _ in range(runs):
        updates += measure_update(source, action_id, 1, work)
        plan = work / f"validate-{source.name}"
        shutil.copyfile(source, plan)
        validates.append(run_once(["validate", str(plan)], work))
    return {
        "update": min(u[0] for u in updates),
        "validate": min(v[0] for v in validates),
        "update cpu": min(u[1] for u in updates),
        "validate cpu": min(v[1] for v in validates),
    }


def figures(quick: bool) -> list[Figure]:
    """The update figures with their targets."""
    runs = 3 if quick else 7
    with tempfile.TemporaryDirectory(prefix="cheplan-update-bench-") as directory:
        work = Path(directory)
        large = large_plan(10_000)
        wall, cpu, mib = zip(*measure_update(large, 10_000, runs, work), strict=True)
        shipped = measure_pair(SHIPPED_PLAN, 38, runs * 2, work)
    ratio = TARGET_RATIO_SHIPPED
    return [
        ("update, 10,000 actions (s)", min(wall), TARGET_SECONDS_10K, "s"),
        ("update, 10,000 actions, CPU (s)", min(cpu), TARGET_SECONDS_10K, "s"),
        ("update, 10,000 actions (MiB)", max(mib), TARGET_MIB_10K, "MiB"),
        ("update, shipped plan (s)", shipped["update"], shipped["validate"] * ratio, "s"),
        ("update / cold validate, shipped plan", shipped["update"] / shipped["validate"], ratio, "x"),
        ("update / cold validate, shipped, CPU", shipped["update cpu"] / shipped["validate cpu"], ratio, "x"),
    ]


def table(rows: list[Figure]) -> str:
    lines = [f"{'figure':<40} {'measured':>12} {'target':>12}  verdict"]
    for label, measured, target, unit in rows:
        verdict = "PASS" if measured <= target else "FAIL"
        lines.append(f"{label:<40} {measured:>8.2f} {unit:<3} {target:>8.2f} {unit:<3}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer runs per figure")
    args = parser.parse_args(argv)
    rows = figures(args.quick)
    print(table(rows))
    return 0 if all(measured <= target for _, measured, target, _ in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
