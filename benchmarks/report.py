"""The benchmark's results as Markdown: the targets side by side, then the detail behind them."""

from __future__ import annotations

import math

from commands import QUERY
from figures import Figure, verdict
from measure import Bench, Measurement
from plans import SIZES
from stages import GROWING_STAGES


def _value(measured: float, unit: str) -> str:
    if math.isnan(measured):
        return "—"
    if math.isinf(measured):
        return "failed"
    if unit == "count":
        return f"{measured:.0f}"
    if unit in ("×", "× growth", "× --help", "× pin"):
        return f"{measured:.1f}×"
    if unit == "s":
        return f"{measured:.2f} s"
    return f"{measured:.0f} {unit}" if unit else f"{measured:g}"


def _target(target: float, unit: str) -> str:
    if unit in ("×", "× pin"):
        return f"≤ {target:g}× `python -c pass`"
    if unit == "× growth":
        return f"≤ {target:g}× (10× the actions)"
    if unit == "× --help":
        return f"≤ {target:g}× `--help`"
    return f"≤ {target:g} {unit}" if unit and unit != "count" else f"≤ {target:g}"


def targets_table(figures: list[Figure]) -> list[str]:
    lines = ["| figure | measured | target | result |", "|---|---:|---|---|"]
    for figure in figures:
        label, measured, target, unit = figure
        lines.append(f"| {label} | {_value(measured, unit)} | {_target(target, unit)} | {verdict(figure)} |")
    return lines


def _seconds(results: dict[str, Measurement], key: str) -> str:
    run = results.get(key)
    if run is None:
        return "—"
    return f"{run.seconds:.3f} s{_exit_flag(run)}"


def _exit_flag(run: Measurement) -> str:
    """Beside a figure whose command exited otherwise than expected: the run did not do the work."""
    wrong = run.unexpected_codes
    return f" (FAILED: exit {', '.join(map(str, wrong))})" if wrong else ""


def startup_table(bench: Bench) -> list[str]:
    lines = ["| command | median (wall) | CPU × `python -c pass` | peak memory |", "|---|---:|---:|---:|"]
    startup = [
        ("`python -c pass`", "python -c pass"),
        ("`cheplan --help`", "cheplan --help"),
        (f"`cheplan {QUERY}` (warm cache: the normal case)", f"{QUERY} table warm 38"),
        (f"`cheplan {QUERY}` (cold: CHEPLAN_NO_CACHE=1)", f"{QUERY} table cold 38"),
        (f"`cheplan {QUERY} -f json` (warm)", f"{QUERY} json warm 38"),
        ("`cheplan validate` (cold: always validates)", "validate 38"),
        ("`cheplan completion bash`", "cheplan completion bash"),
        ("`check-jsonschema`", "check-jsonschema 38"),
        ("`yamllint -d relaxed`", "yamllint 38"),
    ]
    for label, key in startup:
        run = bench.results.get(key)
        if run is not None:
            ratio = f"{bench.ratio(key):.1f}×{_exit_flag(run)}"
            lines.append(f"| {label} | {run.ms:.0f} ms | {ratio} | {run.peak_mib:.0f} MiB |")
    return lines


def scale_table(bench: Bench) -> list[str]:
    results = bench.results
    lines = ["| command | " + " | ".join(f"{n:,} actions" for n in SIZES) + " | peak memory at 10,000 |"]
    lines.append("|---|" + "---:|" * (len(SIZES) + 1))
    rows = [
        ("`validate`", "validate"),
        (f"`{QUERY}` table, warm cache", f"{QUERY} table warm"),
        (f"`{QUERY}` table, cold", f"{QUERY} table cold"),
        *[(f"`{c} -f json`, {w}", f"{c} json {w}") for c in (QUERY, "actions") for w in ("warm", "cold")],
        ("check-jsonschema", "check-jsonschema"),
        ("yamllint -d relaxed", "yamllint"),
    ]
    for label, key in rows:
        largest = results.get(f"{key} {SIZES[-1]}")
        if largest is not None:
            cells = " | ".join(_seconds(results, f"{key} {n}") for n in SIZES)
            lines.append(f"| {label} | {cells} | {largest.peak_mib:.0f} MiB |")
    short = [run for key, run in results.items() if " short " in key]
    for run in short:
        lines += ["", f"`{run.label}`: {run.seconds:.2f} s, {run.peak_mib:.0f} MiB peak{_exit_flag(run)}."]
    return lines


def stages_tables(stages: dict[int, dict[str, float]]) -> list[str]:
    if not stages:
        return []
    lines = ["", "### Stages, in-process (ms, median)", ""]
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
    return lines


def markdown(bench: Bench, figures: list[Figure], stages: dict[int, dict[str, float]], machine: str) -> str:
    lines = [f"{machine}", "", "### Targets", "", *targets_table(figures)]
    lines += ["", "### Start-up, shipped plan (38 actions)", "", *startup_table(bench)]
    lines += ["", "### Scale (wall clock, median)", "", *scale_table(bench)]
    lines += stages_tables(stages)
    return "\n".join(lines) + "\n"
