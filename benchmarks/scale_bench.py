"""Scale figures: returns export and import, the board report and validation at 1,000 to
100,000 actions, and validation beside ajv-cli.

    python benchmarks/scale_bench.py [--quick]

`figures(quick)` returns (label, measured, target, unit) rows for benchmarks/run.py to print.
Each time is the median wall clock of separate `cheplan` processes after one warm-up run
(runs interleaved where two are compared, so both see the same load); memory is the largest
resident size of those runs (os.wait4, each child's own). Plans come from plans.py.

ajv-cli (npm) is installed into a temporary folder and run on the plan converted to JSON
(outside the timing) with cheplan's own schema; without npm, or without network for npm,
that row is n/a and says why.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

from plans import SHORT_ACTIONS, write_plans, write_short_plan  # noqa: E402

OUT = BENCHMARKS / "out"
AS_OF = "2021-01-15"
Figure = tuple[str, float, float, str]
AJV_VERSION = "5.0.0"


def _run(args: list[str], env: dict[str, str], program: list[str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak MiB) of one `cheplan ARGS` (or `program ARGS`) process; exit 0 required."""
    command = program or [sys.executable, "-m", "cheplan"]
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([*command, *args], stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(command + args)} exited {process.returncode}:\n{err.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def _median(runs: int, one: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    """(median wall seconds, largest peak MiB) of `runs` timed runs after a warm-up."""
    one()
    samples = [one() for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def _environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CHEPLAN_NO_CACHE", "PYTHONDONTWRITEBYTECODE")}
    env["CHEPLAN_CACHE_DIR"] = str(cache)
    env["CHEPLAN_RETURNS_KEY_FILE"] = str(cache.parent / "returns-key")  # the run's own key, never the user's
    return env


def _export(plan: Path, out: Path, env: dict[str, str], lead: str | None = None) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    extra = ["--lead", lead] if lead else []
    return _run(["returns", "export", "--out", str(out), "--plan", str(plan), "--as-of", AS_OF, *extra], env)


def _filled_workbooks(plan: Path, out: Path, env: dict[str, str]) -> list[Path]:
    """Every organisation's workbook (15 for these plans), each row filled in as a partner would."""
    from returns_bench import _fill

    _export(plan, out, env)
    books = sorted(out.glob("*.xlsx"))
    for book in books:
        _fill(book)
    return books


def _import(plan: Path, books: list[Path], work: Path, env: dict[str, str]) -> tuple[float, float]:
    copy = work / "plan.yaml"
    shutil.copyfile(plan, copy)
    args = ["returns", "import", *map(str, books), "--plan", str(copy), "--as-of", AS_OF, "--apply"]
    return _run(args, env)


def _returns_figures(plans: dict[int, Path], work: Path, env: dict[str, str], runs: int) -> list[Figure]:
    export: dict[int, tuple[float, float]] = {}
    imported: dict[int, tuple[float, float]] = {}
    books = {n: _filled_workbooks(plans[n], work / f"filled-{n}", env) for n in (1_000, 10_000)}
    refused = ""
    for n in (1_000, 10_000):
        export[n] = _median(runs, lambda n=n: _export(plans[n], work / f"export-{n}", env))  # type: ignore[misc]
        try:
            imported[n] = _median(runs, lambda n=n: _import(plans[n], books[n], work, env))  # type: ignore[misc]
        except SystemExit as exc:  # refused: a FAIL row that says why, not a lost table
            print(exc, flush=True)
            imported[n] = (math.inf, math.inf)
            refused = f" (refused: {str(exc).splitlines()[-1][:140]})"
    return [
        ("returns export, 10,000 actions", export[10_000][0], 3.0, "s"),
        ("returns export: growth 1,000 -> 10,000 actions", export[10_000][0] / export[1_000][0], 11.0, "x"),
        (f"returns import --apply, 15 workbooks of 10,000 actions{refused}", imported[10_000][0], 5.0, "s"),
        ("returns import --apply, 10,000 actions: peak memory", imported[10_000][1], 300.0, "MiB"),
        ("returns import --apply: growth 1,000 -> 10,000 actions", imported[10_000][0] / imported[1_000][0], 11.0, "x"),
    ]


def _report(plan: Path, out: Path, env: dict[str, str]) -> tuple[float, float]:
    return _run(["report", "--plan", str(plan), "--as-of", AS_OF, "--format", "html", "--out", str(out)], env)


def _validate(plan: Path, env: dict[str, str]) -> tuple[float, float]:
    return _run(["validate", str(plan)], {**env, "CHEPLAN_NO_CACHE": "1"})


def _ajv(work: Path) -> tuple[list[str] | None, str]:
    """The ajv command, installed into `work`; or None and why not."""
    if shutil.which("npm") is None:
        return None, "npm is not installed"
    done = subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(work), f"ajv-cli@{AJV_VERSION}"],
        capture_output=True,
        text=True,
        check=False,
    )
    binary = work / "node_modules" / ".bin" / "ajv"
    if done.returncode != 0 or not binary.exists():
        return None, f"npm could not install ajv-cli ({done.stderr.strip()[-200:] or done.returncode})"
    return [str(binary)], ""


def _as_json(plan: Path, target: Path) -> Path:
    """The plan as JSON, for ajv (made outside the timing): dates kept as the text they are."""
    import yaml

    class _TextDates(yaml.CSafeLoader):
        pass

    def as_text(loader: yaml.CSafeLoader, node: yaml.Node) -> object:
        return loader.construct_scalar(node)  # type: ignore[arg-type]  # a timestamp is a scalar node

    _TextDates.add_constructor("tag:yaml.org,2002:timestamp", as_text)
    data = yaml.load(plan.read_text(encoding="utf-8"), Loader=_TextDates)
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def _validate_figures(plans: dict[int, Path], short: Path, work: Path, env: dict[str, str], runs: int) -> list[Figure]:
    rows: list[Figure] = [
        ("validate, 100,000 short actions", _median(runs, lambda: _validate(short, env))[0], 2.5, "s")
    ]
    ajv, why = _ajv(work / "ajv")
    label = "validate, 10,000 actions / ajv-cli on the same plan as JSON"
    if ajv is None:
        print(f"ajv-cli row n/a: {why}", flush=True)
        return [*rows, (f"{label} (n/a: {why})", math.nan, 0.5, "x")]
    schema = BENCHMARKS.parent / "schema" / "plan.schema.json"
    data = _as_json(plans[10_000], work / "plan_10000.json")
    ajv_args = ["validate", "--spec=draft2020", "--strict=false", "-s", str(schema), "-d", str(data)]
    ours, theirs = [], []
    _validate(plans[10_000], env)
    _run(ajv_args, env, program=ajv)
    for _ in range(runs):  # interleaved: both see the same moment's load
        ours.append(_validate(plans[10_000], env)[0])
        theirs.append(_run(ajv_args, env, program=ajv)[0])
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"validate 10,000: cheplan {statistics.median(ours):.2f} s, ajv-cli {statistics.median(theirs):.2f} s")
    return [*rows, (label, ratio, 0.5, "x")]


def figures(quick: bool) -> list[Figure]:
    runs = 3 if quick else 7
    plans = write_plans(OUT)
    short = write_short_plan(OUT)
    with tempfile.TemporaryDirectory(prefix="cheplan-scale-bench-") as tmp:
        work = Path(tmp)
        env = _environment(work / "cache")
        rows = _returns_figures(plans, work, env, runs)
        report_10k = _median(runs, lambda: _report(plans[10_000], work / "report.html", env))
        report_short = _median(max(1, runs // 2), lambda: _report(short, work / "report.html", env))
        rows += [
            ("report --format html, 10,000 actions", report_10k[0], 1.5, "s"),
            (f"report --format html, {SHORT_ACTIONS:,} short actions", report_short[0], 6.0, "s"),
            (f"report --format html, {SHORT_ACTIONS:,} short actions: peak memory", report_short[1], 400.0, "MiB"),
        ]
        rows += _validate_figures(plans, short, work, env, runs)
    return rows


def main() -> int:
    rows = figures("--quick" in sys.argv[1:])
    print("| figure | measured | target | |")
    print("|---|---:|---:|---|")
    failed = False
    for label, measured, target, unit in rows:
        verdict = "n/a" if math.isnan(measured) else "PASS" if measured <= target else "FAIL"
        failed |= verdict == "FAIL"
        print(f"| {label} | {measured:.2f} {unit} | {target:g} {unit} | {verdict} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
