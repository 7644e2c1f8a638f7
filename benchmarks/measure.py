"""Timing commands as a user runs them: separate processes, medians, peak memory.

Every figure is a wall-clock median of separate processes (time.perf_counter around
subprocess.run, after one warm-up run), so it includes interpreter start-up exactly as a
user sees it. Standard library only.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLAN = REPO / "data" / "plan_2020_21.yaml"
SHIPPED_REGISTER = REPO / "data" / "elr_recommendations.yaml"
OUT = Path(__file__).resolve().parent / "out"
# A fixed date after every shipped action's end month: all are overdue, as they are today.
AS_OF = "2021-04-01"
# A run slower than this is its own warm-up: start-up effects are noise at that length.
SLOW_SECONDS = 2.0
PYTHON_PASS = [sys.executable, "-c", "pass"]

# Runs a command several times in a fresh process, so that RUSAGE_CHILDREN's peak resident
# size belongs to that command alone, and reports every wall-clock time. With a baseline,
# each run of the command is paired with a run of the baseline, so that a ratio compares
# runs made at the same moment (a shared or virtual machine drifts by 10-20 % over minutes).
_MEASURE_CHILD = """
import json, resource, subprocess, sys, time
spec = json.loads(sys.argv[1])

def timed(cmd):
    started = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started, done.returncode

baseline_times = []
if spec["baseline"]:
    timed(spec["baseline"])
elapsed, code = timed(spec["cmd"])  # the warm-up: caches, bytecode, page cache
codes = [code]
times, runs = [], spec["runs"]
if elapsed > spec["slow"]:
    times, runs = [elapsed], spec["slow_runs"] - 1
for _ in range(runs):
    if spec["baseline"]:
        baseline_times.append(timed(spec["baseline"])[0])
    elapsed, code = timed(spec["cmd"])
    times.append(elapsed)
    codes.append(code)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
peak_kib = peak // 1024 if sys.platform == "darwin" else peak
print(json.dumps({"times": times, "codes": codes, "peak_kib": peak_kib, "baseline_times": baseline_times}))
"""


@dataclass
class Measurement:
    label: str
    seconds: float
    peak_mib: float
    codes: list[int]
    runs: int
    # Median of `python -c pass` runs interleaved with this command's runs, when asked for.
    baseline_seconds: float | None = None
    # The exit codes the command is meant to end with: a run that ends otherwise did not do
    # the work being timed (a refused plan exits 1 fast), so its figure fails.
    expected: tuple[int, ...] = (0,)

    @property
    def unexpected_codes(self) -> list[int]:
        return sorted(set(self.codes) - set(self.expected))

    @property
    def ms(self) -> float:
        return self.seconds * 1000


@dataclass
class Bench:
    runs: int
    slow_runs: int
    env: dict[str, str]
    results: dict[str, Measurement] = field(default_factory=dict)

    def measure(
        self,
        key: str,
        cmd: list[str],
        *,
        env: dict[str, str] | None = None,
        paired: bool = False,
        expected: tuple[int, ...] = (0,),
    ) -> Measurement:
        spec = {
            "cmd": cmd,
            "runs": self.runs,
            "slow": SLOW_SECONDS,
            "slow_runs": self.slow_runs,
            "baseline": PYTHON_PASS if paired else None,
        }
        child_env = {**self.env, **(env or {})}
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE_CHILD, json.dumps(spec)],
            capture_output=True,
            text=True,
            env=child_env,
            check=True,
        )
        raw = json.loads(done.stdout)
        baseline = statistics.median(raw["baseline_times"]) if raw["baseline_times"] else None
        result = Measurement(
            key,
            statistics.median(raw["times"]),
            raw["peak_kib"] / 1024,
            raw["codes"],
            len(raw["times"]),
            baseline,
            expected,
        )
        self.results[key] = result
        paired_note = f"  (python -c pass beside it: {baseline * 1000:.1f} ms)" if baseline else ""
        codes = sorted(set(result.codes))
        wrong = f"  UNEXPECTED EXIT (expected {list(expected)})" if result.unexpected_codes else ""
        print(
            f"  {key:40s} {result.ms:9.1f} ms  {result.peak_mib:6.1f} MiB  exit {codes}{wrong}{paired_note}", flush=True
        )
        return result

    def ratio(self, key: str) -> float:
        """Time relative to `python -c pass`: the paired runs when there are, else the separate ones."""
        result = self.results[key]
        return result.seconds / (result.baseline_seconds or self.results["python -c pass"].seconds)


def cheplan_command() -> list[str]:
    """`cheplan` as a user runs it: the console script beside this interpreter."""
    script = Path(sys.executable).parent / "cheplan"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cheplan"]


def base_environment(cache: Path) -> dict[str, str]:
    """The caller's environment, minus what would make the figures unlike a user's.

    An installed cheplan has compiled bytecode; PYTHONDONTWRITEBYTECODE (set in some
    sandboxes and CI images) would recompile every edited module on every run instead.
    """
    drop = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONPROFILEIMPORTTIME", "GITHUB_ACTIONS")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHEPLAN_") and k not in drop}
    env.update({"CHEPLAN_CACHE_DIR": str(cache), "COLUMNS": "100", "NO_COLOR": "1"})
    return env
