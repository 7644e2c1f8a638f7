"""The newest Typer beside the pinned one: is the `typer<0.29` ceiling still worth keeping?

    python benchmarks/typer_bench.py [--quick]

pyproject.toml keeps Typer below 0.29 because 0.29 builds pydantic TypeAdapters for every
parameter on each run: `overdue --format json` went from 8.6× to 15.7× `python -c pass`
(docs/speed.md). This installs the newest Typer that pip finds into a temporary directory,
runs `cheplan overdue --format json` with it first on the path, paired with `python -c pass`
and interleaved with the same command under the pinned Typer, and reports the newest Typer's
CPU-time ratio against the same no-regression limit as the pinned one. While it is over the
limit the row reads "pin holds"; the day it passes, lift the ceiling. When pip cannot reach an
index, the row says so and is n/a. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from figures import PIN, QUERY_JSON_LIMIT, Figure
from measure import AS_OF, SHIPPED_PLAN, Bench, base_environment, cheplan_command

PIP_TIMEOUT_SECONDS = 300


def install_newest_typer(target: Path) -> str | None:
    """The version of the newest Typer, installed (with what it needs) into `target`; None when
    pip cannot get it (no network, no index), with pip's last line printed."""
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run(
        [*pip, "--target", str(target), "typer"],
        capture_output=True,
        text=True,
        check=False,
        timeout=PIP_TIMEOUT_SECONDS,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        print(f"typer_bench: pip could not install the newest Typer, row skipped: {last}", flush=True)
        return None
    found = subprocess.run(
        [sys.executable, "-c", "import importlib.metadata as m, json; print(json.dumps(m.version('typer')))"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(target)},
        check=True,
    )
    version: str = json.loads(found.stdout)
    return version


def measure(quick: bool) -> tuple[str | None, float, float]:
    """(newest Typer's version, its ratio, the pinned Typer's ratio) for `overdue -f json`."""
    runs = 5 if quick else 15
    with tempfile.TemporaryDirectory(prefix="cheplan-typer-bench-") as scratch:
        work = Path(scratch)
        version = install_newest_typer(work / "newest")
        if version is None:
            return None, math.nan, math.nan
        bench = Bench(runs=runs, slow_runs=runs, env=base_environment(work / "cache"))
        command = [*cheplan_command(), "overdue", "-p", str(SHIPPED_PLAN), "-f", "json", "--as-of", AS_OF]
        fill = [*cheplan_command(), "validate", str(SHIPPED_PLAN)]  # the warm cache, as an officer has it
        subprocess.run(fill, env=bench.env, capture_output=True, check=False)
        newest_env = {"PYTHONPATH": str(work / "newest")}
        pinned = newest = math.nan
        for _ in range(2):  # interleaved: both halves see the same machine
            pinned = bench.ratio(bench.measure("pinned Typer", command, paired=True).label)
            newest = bench.ratio(bench.measure(f"Typer {version}", command, env=newest_env, paired=True).label)
        return version, newest, pinned


def figures(quick: bool) -> list[Figure]:
    version, newest, _ = measure(quick)
    label = f"newest Typer ({version or 'not installable here'}): `overdue --format json`, lift the pin when it passes"
    return [(label, newest, QUERY_JSON_LIMIT, PIN)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 paired runs instead of 15")
    args = parser.parse_args(argv)
    version, newest, pinned = measure(args.quick)
    if version is None:
        return 0
    print(f"overdue --format json: Typer {version} {newest:.2f}×, pinned Typer {pinned:.2f}× python -c pass (CPU)")
    print("lift the pin" if newest <= QUERY_JSON_LIMIT else f"the pin holds: over the {QUERY_JSON_LIMIT}× limit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
