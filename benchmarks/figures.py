"""Every target as a Figure (label, measured, target, unit): PASS when measured <= target.

Issue 10's targets first, then the standing ones of issue 6, then whatever the other
benchmark modules report: every `benchmarks/*_bench.py` exposing
`def figures(quick: bool) -> list[Figure]` is run and its figures join the same table.
A measured value of NaN means "not measurable here" (a tool is not installed): n/a.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import traceback
from pathlib import Path

from commands import QUERY
from measure import Bench
from plans import SHORT_ACTIONS

Figure = tuple[str, float, float, str]  # (label, measured, target, unit)
NOT_MEASURED = math.nan
BENCHMARKS = Path(__file__).resolve().parent


def verdict(figure: Figure) -> str:
    _, measured, target, _ = figure
    if math.isnan(measured):
        return "n/a"
    return "PASS" if measured <= target else "FAIL"


def issue_10_figures(bench: Bench, counts: dict[str, int]) -> list[Figure]:
    """Issue 10, section 3: the everyday commands against `python -c pass`, and at scale."""
    short = bench.results.get(f"{QUERY} json warm short {SHORT_ACTIONS}")
    return [
        (f"`{QUERY}` table, warm cache, shipped plan", bench.ratio(f"{QUERY} table warm 38"), 9, "×"),
        (f"`{QUERY} --format json`, warm cache, shipped plan", bench.ratio(f"{QUERY} json warm 38"), 6, "×"),
        ("`--help`", bench.ratio("cheplan --help"), 5, "×"),
        ("cold `validate`, shipped plan", bench.ratio("validate 38"), 15, "×"),
        (
            f"`{QUERY} --format json`, {SHORT_ACTIONS:,} short actions",
            short.seconds if short else NOT_MEASURED,
            3,
            "s",
        ),
        ("`validate` of 5 plans: register parses", counts["register_parses"], 1, "count"),
        ("`validate` of 5 plans: hashes of cheplan's code", counts["hashes"], 1, "count"),
        # Issue 10 asks that completion not slow everyday start-up: the everyday figures above
        # are run without it (Typer's completion options are off; `cheplan completion` prints
        # the script). Printing the script should cost no more than `--help`, a plain Typer run.
        (
            "`completion bash` / `--help` (script printed)",
            bench.results["cheplan completion bash"].seconds / bench.results["cheplan --help"].seconds,
            1.1,
            "×",
        ),
    ]


def issue_6_figures(bench: Bench, note_shown: bool) -> list[Figure]:
    """The standing targets: scale, memory, and against the tools a CI would use instead."""
    results = bench.results
    validate = results["validate 10000"]
    schema = results.get("check-jsonschema 10000")
    table = results[f"{QUERY} table warm 10000"]
    found: list[Figure] = [
        ("`validate`, 10,000 actions", validate.seconds, 2, "s"),
        (
            "`validate` vs check-jsonschema, 10,000 actions",
            100 * validate.seconds / schema.seconds if schema else NOT_MEASURED,
            10,
            "% of its time",
        ),
        ("`validate` peak memory, 10,000 actions", validate.peak_mib, 250, "MiB"),
    ]
    for command in (QUERY, "actions"):
        for cache in ("warm", "cold"):
            found.append(
                (
                    f"`{command} -f json`, {cache}, 10,000 actions",
                    results[f"{command} json {cache} 10000"].seconds,
                    3,
                    "s",
                )
            )
    # A table of 10,000 rows must answer quickly and say that it is cut: no note, no pass.
    found.append(
        (f"`{QUERY}` table, 10,000 actions (cut, with a note)", table.seconds if note_shown else math.inf, 3, "s")
    )
    for key in ("validate", f"{QUERY} json cold", f"{QUERY} json warm", "actions json cold"):
        ratio = results[f"{key} 10000"].seconds / results[f"{key} 1000"].seconds
        found.append((f"linear: `{key}`, 1,000 → 10,000 actions", ratio, 11, "× growth"))
    return found


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
