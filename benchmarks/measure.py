"""Timing commands as a user runs them: separate processes, medians, CPU time, peak memory.

Every figure comes from separate processes, each started afresh, so it includes interpreter
start-up exactly as a user sees it: the wall-clock median (time.perf_counter around the run,
after one warm-up run) and the median CPU time (user + system, from os.wait4). The ratios to
`python -c pass` are of CPU time, from runs paired with `python -c pass` runs made at the same
moment: on a machine shared with other work, CPU time is what the command costs, and the wall
clock is what it waited besides. Standard library only.

Peak memory is each child's own. A child's `ru_maxrss` on Linux also counts the memory of the
process image it replaced at exec: a child forked, vforked or posix_spawn-ed (glibc spawns with
CLONE_VM) from a large parent reports the parent's resident set when that is the larger. So
every command is spawned by a fresh, small measuring interpreter (about 10 MiB: the floor of
any peak reported here), never by the benchmark process itself.
"""

from __future__ import annotations

import json
import math
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

# The measuring interpreter: spawns each run with os.posix_spawn and reaps it with os.wait4,
# which gives that one child's CPU time and peak resident size. With a baseline, each run of
# the command is paired with a run of the baseline (a shared or virtual machine drifts by
# 10-20 % over minutes). Output goes to files named in the spec, else to /dev/null.
_MEASURE_CHILD = """
import json, os, sys, time
spec = json.loads(sys.argv[1])

def timed(cmd):
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0)]
    for fd, name in ((1, spec.get("stdout")), (2, spec.get("stderr"))):
        target = name or os.devnull
        actions.append((os.POSIX_SPAWN_OPEN, fd, target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    started = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    peak_kib = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_kib": peak_kib,
            "code": os.waitstatus_to_exitcode(status)}

baseline = []
if spec["baseline"]:
    timed(spec["baseline"])
first = timed(spec["cmd"])  # the warm-up: caches, bytecode, page cache
runs, counted = spec["runs"], []
if spec["runs"] == 0 or first["wall"] > spec["slow"]:
    counted, runs = [first], max(spec["slow_runs"] - 1, 0)
warmups = [first]
for _ in range(runs):
    if spec["baseline"]:
        baseline.append(timed(spec["baseline"]))
    counted.append(timed(spec["cmd"]))
print(json.dumps({"runs": counted, "warmups": warmups, "baseline": baseline}))
"""


@dataclass(frozen=True)
class Run:
    """One process: wall-clock and CPU seconds, its own peak resident MiB, its exit code."""

    wall: float
    cpu: float
    peak_mib: float
    code: int


def spawn_measured(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdout: Path | None = None,
    stderr: Path | None = None,
) -> Run:
    """Run `cmd` once, through a fresh measuring interpreter, so its figures are its own.

    Standard output and error go to the files given, else to /dev/null.
    """
    spec = {
        "cmd": cmd,
        "runs": 0,
        "slow": 0.0,
        "slow_runs": 1,
        "baseline": None,
        "stdout": str(stdout) if stdout else None,
        "stderr": str(stderr) if stderr else None,
    }
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE_CHILD, json.dumps(spec)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=True,
    )
    (raw,) = json.loads(done.stdout)["runs"]
    return Run(raw["wall"], raw["cpu"], raw["peak_kib"] / 1024, raw["code"])


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
    # Median CPU time (user + system) of the same runs, and of the paired `python -c pass` runs.
    cpu_seconds: float | None = None
    baseline_cpu_seconds: float | None = None

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
        runs, baseline_runs = raw["runs"], raw["baseline"]
        codes = [run["code"] for run in raw["warmups"] if run not in runs] + [run["code"] for run in runs]
        result = Measurement(
            key,
            statistics.median(run["wall"] for run in runs),
            max(run["peak_kib"] for run in runs) / 1024,
            codes,
            len(runs),
            statistics.median(run["wall"] for run in baseline_runs) if baseline_runs else None,
            expected,
            statistics.median(run["cpu"] for run in runs),
            statistics.median(run["cpu"] for run in baseline_runs) if baseline_runs else None,
        )
        self.results[key] = result
        baseline = result.baseline_cpu_seconds
        paired_note = f"  {self.ratio(key):5.2f}× python -c pass (CPU {baseline * 1000:.1f} ms)" if baseline else ""
        wrong = f"  UNEXPECTED EXIT (expected {list(expected)})" if result.unexpected_codes else ""
        print(
            f"  {key:40s} {result.ms:9.1f} ms  CPU {(result.cpu_seconds or 0) * 1000:7.1f} ms  "
            f"{result.peak_mib:6.1f} MiB  exit {sorted(set(codes))}{wrong}{paired_note}",
            flush=True,
        )
        return result

    def ratio(self, key: str) -> float:
        """Median CPU time relative to `python -c pass`'s: the paired runs when there are, else
        the separate ones (wall clock where no CPU time was recorded)."""
        result = self.results[key]
        alone = self.results.get("python -c pass")
        if result.cpu_seconds is not None:
            baseline = result.baseline_cpu_seconds or (alone.cpu_seconds if alone else None)
            if baseline:
                return result.cpu_seconds / baseline
        return result.seconds / (result.baseline_seconds or (alone.seconds if alone else math.nan))


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
