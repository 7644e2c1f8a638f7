"""Benchmark cheplan against its speed targets and print a table of figures with PASS/FAIL.

    python benchmarks/run.py           # full run (a few minutes: the external tools are slow at 10k)
    python benchmarks/run.py --quick   # fewer repetitions

Every figure is a wall-clock median of separate processes (time.perf_counter around
subprocess.run, after one warm-up run), so it includes interpreter start-up exactly as a
user sees it. Synthetic plans (the shipped actions repeated with new ids, in the same YAML
style) are written to benchmarks/out/. check-jsonschema and yamllint are measured on the
same files when they are installed. Standard library only.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLAN = REPO / "data" / "plan_2020_21.yaml"
SHIPPED_REGISTER = REPO / "data" / "elr_recommendations.yaml"
OUT = Path(__file__).resolve().parent / "out"
SIZES = (38, 1_000, 10_000)
# A fixed date after every shipped action's end month: all are overdue, as they are today.
AS_OF = "2021-04-01"
MIB = 1024 * 1024
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
        self, key: str, cmd: list[str], *, env: dict[str, str] | None = None, paired: bool = False
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
            key, statistics.median(raw["times"]), raw["peak_kib"] / 1024, raw["codes"], len(raw["times"]), baseline
        )
        self.results[key] = result
        paired_note = f"  (python -c pass beside it: {baseline * 1000:.1f} ms)" if baseline else ""
        codes = sorted(set(result.codes))
        print(f"  {key:40s} {result.ms:9.1f} ms  {result.peak_mib:6.1f} MiB  exit {codes}{paired_note}")
        return result

    def ratio(self, key: str) -> float:
        """Time relative to `python -c pass`: the paired runs when there are, else the separate ones."""
        result = self.results[key]
        return result.seconds / (result.baseline_seconds or self.results["python -c pass"].seconds)


# --- synthetic plans ----------------------------------------------------------------------


def synthetic_plan(count: int) -> str:
    """The shipped plan with its action blocks repeated, renumbered 1..count, text untouched."""
    text = SHIPPED_PLAN.read_text(encoding="utf-8")
    head, marker, body = text.partition("\nactions:\n")
    # What follows the actions at the top level (the organisations directory) is kept once, at the end.
    after = re.search(r"(?m)^(?=[^\s-])", body)
    body, tail = (body[: after.start()], body[after.start() :]) if after else (body, "")
    before, *blocks = re.split(r"(?m)^(?=  - id: \d+\n)", body)
    parts = [head, marker, before]
    for number in range(1, count + 1):
        block = blocks[(number - 1) % len(blocks)].rstrip("\n") + "\n\n"
        parts.append(re.sub(r"^  - id: \d+\n", f"  - id: {number}\n", block, count=1))
    parts.append(tail)
    return "".join(parts).rstrip("\n") + "\n"


def write_plans(directory: Path) -> dict[int, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    plans = {}
    for count in SIZES:
        path = directory / f"plan_{count}.yaml"
        path.write_text(synthetic_plan(count), encoding="utf-8")
        plans[count] = path
    return plans


def schema_file(directory: Path, cheplan: list[str], env: dict[str, str]) -> Path:
    """The plan JSON Schema for check-jsonschema: the committed file, else `cheplan schema`."""
    committed = REPO / "schema" / "plan.schema.json"
    if committed.is_file():
        return committed
    exported = directory / "plan.schema.json"
    done = subprocess.run([*cheplan, "schema"], capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0 or not done.stdout.strip().startswith("{"):
        # `cheplan schema` not there yet: ask the library directly.
        from cheplan.domain.model import Plan
        from cheplan.loading.schema import json_schema

        exported.write_text(json.dumps(json_schema(Plan), indent=2), encoding="utf-8")
    else:
        exported.write_text(done.stdout, encoding="utf-8")
    return exported


# --- per-stage timings, in a fresh child per plan size ------------------------------------


def _median_time(action: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def run_stages(plan_path: Path, repeats: int) -> dict[str, float]:
    """In-process seconds per stage of `validate` and of a query, for one plan file.

    The cyclic garbage collector is off, as it is while `cheplan` runs a command.
    """
    gc.disable()
    stages: dict[str, float] = {}
    started = time.perf_counter()
    from cheplan.domain.model import Plan
    from cheplan.domain.register import Register
    from cheplan.loading.checks import CheckContext, run_checks
    from cheplan.loading.load import Source, load_plan, validate_sources
    from cheplan.loading.safe_yaml import parse_yaml
    from cheplan.loading.schema import _adapter, validate_document
    from cheplan.outputs.action_listings import actions_listing
    from cheplan.outputs.formats import DEFAULT_TABLE_LIMIT, render
    from cheplan.questions.actions import filter_actions

    stages["import cheplan (no YAML, pydantic or Rich)"] = time.perf_counter() - started
    stages["read file"], source = _median_time(lambda: Source.read(plan_path), repeats)
    register_source = Source.read(SHIPPED_REGISTER)
    started = time.perf_counter()
    parse_yaml("a: 1\n", "warm-up")
    stages["import PyYAML (once)"] = time.perf_counter() - started
    stages["parse YAML"], doc = _median_time(lambda: parse_yaml(source.text, source.name), repeats)
    register_doc = parse_yaml(register_source.text, register_source.name)
    started = time.perf_counter()
    _adapter(Plan), _adapter(Register)
    stages["import pydantic, build validators (once)"] = time.perf_counter() - started
    stages["schema validation"], (plan, _) = _median_time(lambda: validate_document(doc, Plan), repeats)
    register, _ = validate_document(register_doc, Register)
    if plan is None or register is None:
        raise SystemExit(f"{plan_path} is not a valid plan")
    context = CheckContext.for_plan(plan, doc, [(register, register_doc)])
    stages["cross-checks"], _ = _median_time(lambda: run_checks(context), repeats)
    stages["validate_sources (parse + schema + checks)"], _ = _median_time(
        lambda: validate_sources(source, [register_source]), repeats
    )
    # The parent filled the cache (CHEPLAN_CACHE_DIR) before starting this child.
    stages["load_plan, warm cache (read, hash, JSON, rebuild)"], _ = _median_time(
        lambda: load_plan(plan_path, [SHIPPED_REGISTER]), repeats
    )
    stages["query (filter_actions)"], actions = _median_time(lambda: filter_actions(plan), repeats)
    stages["listing (actions_listing)"], listing = _median_time(lambda: actions_listing(plan, actions), repeats)
    stages["render json"], _ = _median_time(lambda: render(listing, "json"), repeats)
    stages["render csv"], _ = _median_time(lambda: render(listing, "csv"), repeats)
    table = f"render table (first {DEFAULT_TABLE_LIMIT} rows"
    stages[f"{table}, incl. importing Rich)"], _ = _median_time(
        lambda: render(listing, "table", limit=DEFAULT_TABLE_LIMIT, width=100), 1
    )
    stages[f"{table})"], _ = _median_time(
        lambda: render(listing, "table", limit=DEFAULT_TABLE_LIMIT, width=100), repeats
    )
    return stages


def stages_in_child(plan_path: Path, repeats: int, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--stages", str(plan_path), "--repeats", str(repeats)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    stages: dict[str, float] = json.loads(done.stdout)
    return stages


# --- the run ------------------------------------------------------------------------------


def cheplan_command() -> list[str]:
    """`cheplan` as a user runs it: the console script beside this interpreter."""
    script = Path(sys.executable).parent / "cheplan"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cheplan"]


def query_command() -> str:
    """`overdue` once it exists; until then `actions` stands in for it."""
    return "overdue" if (REPO / "cheplan" / "commands" / "overdue.py").is_file() else "actions"


def base_environment(cache: Path) -> dict[str, str]:
    """The caller's environment, minus what would make the figures unlike a user's.

    An installed cheplan has compiled bytecode; PYTHONDONTWRITEBYTECODE (set in some
    sandboxes and CI images) would recompile every edited module on every run instead.
    """
    drop = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONPROFILEIMPORTTIME", "GITHUB_ACTIONS")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHEPLAN_") and k not in drop}
    env.update({"CHEPLAN_CACHE_DIR": str(cache), "COLUMNS": "100", "NO_COLOR": "1"})
    return env


def external_tools() -> dict[str, str]:
    found = {}
    for tool in ("check-jsonschema", "yamllint"):
        beside = Path(sys.executable).parent / tool
        path = str(beside) if beside.is_file() else shutil.which(tool)
        if path:
            found[tool] = path
    return found


def measure_all(bench: Bench, plans: dict[int, Path], schema: Path, tools: dict[str, str], query: str) -> None:
    cheplan = cheplan_command()
    query_args = ["--as-of", AS_OF] if query == "overdue" else []
    cold = {"CHEPLAN_NO_CACHE": "1"}
    print(f"start-up (shipped plan; `{query}` is the everyday query)")
    bench.measure("python -c pass", PYTHON_PASS)
    bench.measure("cheplan --help", [*cheplan, "--help"], paired=True)
    for count, plan in plans.items():
        # Fill the cache the way a first run does, so "warm" is the normal case.
        subprocess.run([*cheplan, "validate", str(plan)], env=bench.env, capture_output=True, check=False)
        if count != SIZES[0]:
            print(f"{count:,} actions")
        small = count == SIZES[0]
        query_cmd = [*cheplan, query, "-p", str(plan), *query_args]
        bench.measure(f"{query} table warm {count}", query_cmd, paired=small)
        bench.measure(f"{query} table cold {count}", query_cmd, env=cold, paired=small)
        for command in sorted({query, "actions"}):
            json_cmd = [*cheplan, command, "-p", str(plan), "-f", "json", *(query_args if command == query else [])]
            bench.measure(f"{command} json warm {count}", json_cmd, paired=small)
            bench.measure(f"{command} json cold {count}", json_cmd, env=cold)
        bench.measure(f"validate {count}", [*cheplan, "validate", str(plan)], env=cold, paired=small)
        if "check-jsonschema" in tools:
            bench.measure(
                f"check-jsonschema {count}", [tools["check-jsonschema"], "--schemafile", str(schema), str(plan)]
            )
        if "yamllint" in tools:
            bench.measure(f"yamllint {count}", [tools["yamllint"], "-d", "relaxed", str(plan)])


def table_note_shown(plan: Path, query: str, env: dict[str, str]) -> bool:
    """A long table is cut at the default row limit and says how many rows are not shown."""
    args = ["--as-of", AS_OF] if query == "overdue" else []
    command = [*cheplan_command(), query, "-p", str(plan), *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return "more rows not shown" in done.stdout


# --- the listing ---------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    figure: str
    goal: str
    passed: bool | None  # None: not measurable here (a tool is missing)


def _verdict(passed: bool | None) -> str:
    return "n/a" if passed is None else ("PASS" if passed else "FAIL")


# Stages whose cost should grow with the plan; whole commands carry a fixed start-up cost
# that hides growth, so their cost per action is shown too.
GROWING_STAGES = (
    "read file",
    "parse YAML",
    "schema validation",
    "cross-checks",
    "validate_sources (parse + schema + checks)",
    "load_plan, warm cache (read, hash, JSON, rebuild)",
    "listing (actions_listing)",
    "render json",
    "render csv",
)


def targets(bench: Bench, query: str, note_shown: bool) -> list[Target]:
    results = bench.results
    found: list[Target] = []
    warm_key = f"{query} table warm 38"
    found.append(
        Target(
            f"`cheplan {query}`, shipped plan, warm cache",
            f"{bench.ratio(warm_key):.1f}×",
            "≤ 11× python -c pass",
            bench.ratio(warm_key) <= 11,
        )
    )
    found.append(
        Target(
            "`cheplan --help`",
            f"{bench.ratio('cheplan --help'):.1f}×",
            "≤ 8× python -c pass",
            bench.ratio("cheplan --help") <= 8,
        )
    )
    for tool in ("check-jsonschema", "yamllint"):
        other = results.get(f"{tool} 38")
        for label, key in ((f"`{query}`", warm_key), ("`--help`", "cheplan --help")):
            ours = results[key].seconds
            found.append(
                Target(
                    f"{label} vs {tool}, shipped plan",
                    f"{ours / other.seconds:.2f}× its time" if other else "—",
                    "well under (≤ 0.5×)",
                    None if other is None else ours <= 0.5 * other.seconds,
                )
            )
    validate = results["validate 10000"]
    found.append(Target("`validate`, 10,000 actions", f"{validate.seconds:.2f} s", "≤ 2 s", validate.seconds <= 2))
    schema = results.get("check-jsonschema 10000")
    found.append(
        Target(
            "`validate` vs check-jsonschema, 10,000 actions",
            f"{validate.seconds / schema.seconds:.1%} of its time" if schema else "—",
            "≤ 10 %",
            None if schema is None else validate.seconds <= 0.10 * schema.seconds,
        )
    )
    found.append(
        Target(
            "`validate` peak memory, 10,000 actions",
            f"{validate.peak_mib:.0f} MiB",
            "≤ 250 MiB",
            validate.peak_mib <= 250,
        )
    )
    for command in sorted({query, "actions"}):
        for cache in ("warm", "cold"):
            run = results[f"{command} json {cache} 10000"]
            found.append(
                Target(
                    f"`{command} -f json`, {cache}, 10,000 actions", f"{run.seconds:.2f} s", "≤ 3 s", run.seconds <= 3
                )
            )
    table = results[f"{query} table warm 10000"]
    found.append(
        Target(
            f"`{query}` table, 10,000 actions",
            f"{table.seconds:.2f} s" + (", row limit note shown" if note_shown else ", no row limit note"),
            "responsive (≤ 3 s), cut with a note",
            table.seconds <= 3 and note_shown,
        )
    )
    for key in ("validate", f"{query} json cold", f"{query} json warm", "actions json cold"):
        ratio = results[f"{key} 10000"].seconds / results[f"{key} 1000"].seconds
        found.append(Target(f"linear: `{key}`, 1,000 → 10,000 actions", f"{ratio:.1f}×", "≤ 11×", ratio <= 11))
    return found


def _seconds(results: dict[str, Measurement], key: str) -> str:
    run = results.get(key)
    if run is None:
        return "—"
    flag = "" if set(run.codes) <= {0} else f" (exit {max(run.codes)})"
    return f"{run.seconds:.3f} s{flag}"


def markdown(bench: Bench, stages: dict[int, dict[str, float]], query: str, note_shown: bool) -> str:
    results = bench.results
    lines = [
        "### Start-up, shipped plan (38 actions)",
        "",
        "| command | median | × `python -c pass` | peak memory |",
        "|---|---:|---:|---:|",
    ]
    startup = [
        ("`python -c pass`", "python -c pass"),
        ("`cheplan --help`", "cheplan --help"),
        (f"`cheplan {query}` (warm cache: the normal case)", f"{query} table warm 38"),
        (f"`cheplan {query}` (cold: CHEPLAN_NO_CACHE=1)", f"{query} table cold 38"),
        (f"`cheplan {query} -f json` (warm)", f"{query} json warm 38"),
        ("`cheplan validate` (always validates)", "validate 38"),
        ("`check-jsonschema`", "check-jsonschema 38"),
        ("`yamllint -d relaxed`", "yamllint 38"),
    ]
    for label, key in startup:
        run = results.get(key)
        if run is not None:
            lines.append(f"| {label} | {run.ms:.0f} ms | {bench.ratio(key):.1f}× | {run.peak_mib:.0f} MiB |")
    lines += ["", "### Scale (wall clock, median)", ""]
    lines.append("| command | " + " | ".join(f"{n:,} actions" for n in SIZES) + " | peak memory at 10,000 |")
    lines.append("|---|" + "---:|" * (len(SIZES) + 1))
    rows = [
        ("`validate`", "validate"),
        (f"`{query}` table, warm cache", f"{query} table warm"),
        (f"`{query}` table, cold", f"{query} table cold"),
        *[(f"`{c} -f json`, {w}", f"{c} json {w}") for c in sorted({query, "actions"}) for w in ("warm", "cold")],
        ("check-jsonschema", "check-jsonschema"),
        ("yamllint -d relaxed", "yamllint"),
    ]
    for label, key in rows:
        largest = results.get(f"{key} {SIZES[-1]}")
        if largest is None:
            continue
        cells = " | ".join(_seconds(results, f"{key} {n}") for n in SIZES)
        lines.append(f"| {label} | {cells} | {largest.peak_mib:.0f} MiB |")
    if stages:
        lines += ["", "### Stages, in-process (ms, median)", ""]
        lines.append("| stage | " + " | ".join(f"{n:,} actions" for n in stages) + " |")
        lines.append("|---|" + "---:|" * len(stages))
        for name in next(iter(stages.values())):
            lines.append(f"| {name} | " + " | ".join(f"{stages[n][name] * 1000:.1f}" for n in stages) + " |")
    if 1_000 in stages and 10_000 in stages:
        lines += ["", "### Growth: cost per action, in-process (µs)", ""]
        lines += ["| stage | 1,000 actions | 10,000 actions | time 1,000 → 10,000 |", "|---|---:|---:|---:|"]
        for name in GROWING_STAGES:
            small, large = stages[1_000][name], stages[10_000][name]
            lines.append(f"| {name} | {small * 1e3:.2f} | {large * 1e2:.2f} | {large / small:.1f}× |")
    lines += ["", "### Targets", "", "| target | measured | goal | result |", "|---|---:|---|---|"]
    for target in targets(bench, query, note_shown):
        lines.append(f"| {target.name} | {target.figure} | {target.goal} | {_verdict(target.passed)} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (5 runs; 1 for commands over 2 s)")
    parser.add_argument("--runs", type=int, help="timed runs per command after the warm-up (default 15; quick 5)")
    parser.add_argument("--no-stages", action="store_true", help="skip the in-process per-stage timings")
    parser.add_argument("--stages", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stages:
        print(json.dumps(run_stages(args.stages, args.repeats)))
        return 0

    runs = args.runs or (5 if args.quick else 15)
    OUT.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=OUT))
    bench = Bench(runs=runs, slow_runs=1 if args.quick else 3, env=base_environment(cache))
    query = query_command()
    stages: dict[int, dict[str, float]] = {}
    try:
        plans = write_plans(OUT)
        tools = external_tools()
        missing = {"check-jsonschema", "yamllint"} - set(tools)
        if missing:
            print(f"not installed, not compared: {', '.join(sorted(missing))} (pip install -e '.[bench]')")
        schema = schema_file(OUT, cheplan_command(), bench.env)
        print(f"python {sys.version.split()[0]}, {sys.platform}, {os.cpu_count()} CPUs; {runs} runs per command")
        measure_all(bench, plans, schema, tools, query)
        note_shown = table_note_shown(plans[SIZES[-1]], query, bench.env)
        if not args.no_stages:
            print("in-process stages ...")
            for count, plan in plans.items():
                stages[count] = stages_in_child(plan, 3 if args.quick or count >= 10_000 else 5, bench.env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    table = markdown(bench, stages, query, note_shown)
    (OUT / "results.md").write_text(table, encoding="utf-8")
    raw = {key: vars(measurement) for key, measurement in bench.results.items()}
    (OUT / "results.json").write_text(json.dumps({"commands": raw, "stages": stages}, indent=2), encoding="utf-8")
    print()
    print(table)
    return 1 if any(t.passed is False for t in targets(bench, query, note_shown)) else 0


if __name__ == "__main__":
    sys.exit(main())
