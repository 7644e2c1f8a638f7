"""Every target as a Figure (label, measured, target, unit): PASS when measured <= target.

The start-up no-regression limits first (CPU-time ratios to `python -c pass`, measured in one
run; docs/speed.md says where each comes from), then the standing targets of scale and
memory, then whatever the other benchmark modules report: every `benchmarks/*_bench.py` exposing
`def figures(quick: bool) -> list[Figure]` is run and its figures join the same table.
A measured value of NaN means "not measurable here" (a tool is not installed): n/a.

A figure stands on commands that did their work: when a command it is computed from exited
with a code other than the one expected (an `overdue` of a plan refused as too big exits 1
in a second), the figure FAILs and its label says which command exited how.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import traceback
from pathlib import Path

from commands import QUERY
from measure import Bench, Measurement
from plans import SHORT_ACTIONS

Figure = tuple[str, float, float, str]  # (label, measured, target, unit)
NOT_MEASURED = math.nan
# The unit of a figure that decides a version pin, not a regression: over its target it reads
# "pin holds" (the ceiling in pyproject.toml still pays) and does not fail the run.
PIN = "× pin"
BENCHMARKS = Path(__file__).resolve().parent


def verdict(figure: Figure) -> str:
    _, measured, target, unit = figure
    if math.isnan(measured):
        return "n/a"
    if measured <= target:
        return "PASS"
    return "pin holds" if unit == PIN else "FAIL"


def _codes(codes: list[int] | tuple[int, ...]) -> str:
    return " or ".join(map(str, codes))


def exit_checked(figure: Figure, runs: list[Measurement | None]) -> Figure:
    """`figure`, or a FAIL naming the exit codes when a run it rests on ended unexpectedly."""
    label, _, target, unit = figure
    wrong = [
        f"`{run.label}` exited {_codes(run.unexpected_codes)} (expected {_codes(run.expected)})"
        for run in runs
        if run is not None and run.unexpected_codes
    ]
    return (f"{label}: FAILED, {'; '.join(wrong)}", math.inf, target, unit) if wrong else figure


def _checked(bench: Bench, figures: list[tuple[Figure, list[str]]]) -> list[Figure]:
    """Each figure exit-checked against the runs (by key) it is computed from."""
    return [exit_checked(figure, [bench.results.get(key) for key in keys]) for figure, keys in figures]


def _counted(figure: Figure, code: int) -> Figure:
    label, _, target, unit = figure
    return figure if code == 0 else (f"{label}: FAILED, `validate` of 5 plans exited {code}", math.inf, target, unit)


# The no-regression limits of start-up, as median CPU time × `python -c pass` (paired runs).
# They sit a little above what the commands cost when they were set (docs/speed.md), which is
# itself a little above the floor of the stack (Typer and Rich imported, nothing else done).
HELP_LIMIT = 5.9
QUERY_JSON_LIMIT = 9
QUERY_TABLE_LIMIT = 12.5
COLD_VALIDATE_LIMIT = 18


def everyday_figures(bench: Bench, counts: dict[str, int]) -> list[Figure]:
    """The everyday commands against `python -c pass` (no-regression limits), and at scale."""
    short_key = f"{QUERY} json warm short {SHORT_ACTIONS}"
    short = bench.results.get(short_key)
    code = counts.get("code", 0)
    table, json_warm = f"{QUERY} table warm 38", f"{QUERY} json warm 38"
    found = _checked(
        bench,
        [
            ((f"`{QUERY}` table, warm cache, shipped plan", bench.ratio(table), QUERY_TABLE_LIMIT, "×"), [table]),
            (
                (f"`{QUERY} --format json`, warm cache, shipped plan", bench.ratio(json_warm), QUERY_JSON_LIMIT, "×"),
                [json_warm],
            ),
            (("`--help`", bench.ratio("cheplan --help"), HELP_LIMIT, "×"), ["cheplan --help"]),
            (("cold `validate`, shipped plan", bench.ratio("validate 38"), COLD_VALIDATE_LIMIT, "×"), ["validate 38"]),
            (
                (
                    f"`{QUERY} --format json`, {SHORT_ACTIONS:,} short actions",
                    short.seconds if short else NOT_MEASURED,
                    3,
                    "s",
                ),
                [short_key],
            ),
        ],
    )
    found += [
        _counted(("`validate` of 5 plans: register parses", counts["register_parses"], 1, "count"), code),
        _counted(("`validate` of 5 plans: hashes of cheplan's code", counts["hashes"], 1, "count"), code),
    ]
    # Completion must not slow everyday start-up: the everyday figures above are run without
    # it (Typer's completion options are off; `cheplan completion` prints the script).
    # Printing the script should cost no more than `--help`, a plain Typer run.
    completion = (
        "`completion bash` / `--help` (script printed)",
        bench.results["cheplan completion bash"].seconds / bench.results["cheplan --help"].seconds,
        1.1,
        "× --help",
    )
    return [*found, *_checked(bench, [(completion, ["cheplan completion bash", "cheplan --help"])])]


def standing_figures(bench: Bench, note_shown: bool) -> list[Figure]:
    """The standing targets: scale, memory, and against the tools a CI would use instead."""
    results = bench.results
    validate = results["validate 10000"]
    schema = results.get("check-jsonschema 10000")
    table = results[f"{QUERY} table warm 10000"]
    found: list[tuple[Figure, list[str]]] = [
        (("`validate`, 10,000 actions", validate.seconds, 2, "s"), ["validate 10000"]),
        (
            (
                "`validate` vs check-jsonschema, 10,000 actions",
                100 * validate.seconds / schema.seconds if schema else NOT_MEASURED,
                10,
                "% of its time",
            ),
            ["validate 10000", "check-jsonschema 10000"],
        ),
        (("`validate` peak memory, 10,000 actions", validate.peak_mib, 250, "MiB"), ["validate 10000"]),
    ]
    for command in (QUERY, "actions"):
        for cache in ("warm", "cold"):
            key = f"{command} json {cache} 10000"
            found.append(((f"`{command} -f json`, {cache}, 10,000 actions", results[key].seconds, 3, "s"), [key]))
    # A table of 10,000 rows must answer quickly and say that it is cut: no note, no pass.
    cut = table.seconds if note_shown else math.inf
    found.append(((f"`{QUERY}` table, 10,000 actions (cut, with a note)", cut, 3, "s"), [f"{QUERY} table warm 10000"]))
    for key in ("validate", f"{QUERY} json cold", f"{QUERY} json warm", "actions json cold"):
        ratio = results[f"{key} 10000"].seconds / results[f"{key} 1000"].seconds
        label = f"linear: `{key}`, 1,000 → 10,000 actions"
        found.append(((label, ratio, 11, "× growth"), [f"{key} 1000", f"{key} 10000"]))
    return _checked(bench, found)


def other_modules() -> list[Path]:
    return sorted(BENCHMARKS.glob("*_bench.py"))


def figures_of(module_path: Path, quick: bool) -> list[Figure]:
    """The figures another benchmark module reports; a module that fails shows as one FAIL row."""
    name = module_path.stem
    print(f"{name} ...", flush=True)
    try:
        spec = importlib.util.spec_from_file_location(name, module_path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {module_path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        reported = module.figures(quick)
        return [(str(label), float(measured), float(target), str(unit)) for label, measured, target, unit in reported]
    except Exception:  # noqa: BLE001  # a broken module must not hide every other figure
        traceback.print_exc()
        return [(f"{name}: the benchmark failed (see above)", math.inf, 0, "")]
