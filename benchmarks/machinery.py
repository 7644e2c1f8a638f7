"""Each piece of speed machinery, on and off, side by side: what it buys, in CPU time and memory.

    python benchmarks/machinery.py [--quick] [--only NAME]

docs/speed.md records these figures: a piece stays only while it buys more than it costs to
keep. Every run starts `cheplan` through the same small launcher (`python -c ...; main()`),
once as shipped and once with the piece switched off by a patch applied before cheplan runs
(or an environment variable), so the two differ in that piece alone. The two variants are
measured in alternating rounds, each run paired with `python -c pass`, and each is reported as
its median CPU time × `python -c pass`'s (measure.py), with its peak memory. Standard library
only; it writes its plans to benchmarks/out/ (plans.py). Not part of run.py: it answers a
design question, it is not a limit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from measure import AS_OF, OUT, SHIPPED_PLAN, Bench, base_environment
from plans import write_plans, write_short_plan

# The exit code of a launcher whose patch no longer fits the code: the row says so.
PATCH_OUTDATED = 97

# Every patch goes through `replace`, which refuses a name the code no longer has: a patch
# that silently set an unused attribute would measure the piece as buying nothing.
_PRELUDE = f"""
import os, sys

def replace(module, name, value):
    if not hasattr(module, name):
        print(f"machinery.py: {{module.__name__}}.{{name}} is gone; update the patch", file=sys.stderr)
        os._exit({PATCH_OUTDATED})
    setattr(module, name, value)
"""
_MAIN = "\nfrom cheplan.cli.app import main\nsys.exit(main())\n"

# The patches that switch a piece off. Each replaces the piece by what the code would do
# without it; nothing else changes.
NO_JSON_WRITER = """
import json
import cheplan.outputs.json_text as json_text
replace(json_text, "dumps_indented", lambda data: json.dumps(data, indent=2, ensure_ascii=False))
replace(json_text, "json_pieces", lambda listing: iter([json_text.dumps_indented(listing.json_data()) + "\\n"]))
"""
NO_BOUNDED_VALIDATION = """
import cheplan.loading.schema as schema
replace(schema, "DIRECT_CHARS", 10**15)
replace(schema, "DIRECT_ERRORS", 10**15)
"""
NO_TEMPLATE_CACHE = """
import cheplan.outputs.template_cache as template_cache
replace(template_cache, "bytecode_cache", lambda: None)
"""
NO_GC_FREEZE = """
import gc
replace(gc, "freeze", lambda: None)
"""
NO_GC_PAUSE = """
import gc
replace(gc, "disable", lambda: None)
"""
NO_NARROWING = """
import cheplan.cli.command_group as command_group
_lazy_init = command_group._BuiltOnLookup.__init__
def _build_all(self, registered, added):
    _lazy_init(self, registered, added)
    for name in registered:
        self[name]
replace(command_group._BuiltOnLookup, "__init__", _build_all)
"""


@dataclass
class Piece:
    name: str
    what: str
    # (label, arguments after `cheplan`) of each command the piece is measured on
    commands: list[tuple[str, list[str]]]
    off_patch: str = ""
    off_env: dict[str, str] = field(default_factory=dict)


def pieces(plans: dict[str, Path]) -> list[Piece]:
    return [*_data_pieces(plans), *_process_pieces(plans)]


def _data_pieces(plans: dict[str, Path]) -> list[Piece]:
    """The pieces that save work on the plan's data: reading, checking, writing it."""
    shipped, large, short = str(plans["shipped"]), str(plans["10000"]), str(plans["short"])
    query = ["overdue", "--as-of", AS_OF]
    return [
        Piece(
            "validation-cache",
            "validation cache (off: CHEPLAN_NO_CACHE=1)",
            [
                ("`overdue`, shipped plan", [*query, "-p", shipped]),
                ("`overdue -f json`, shipped plan", [*query, "-p", shipped, "-f", "json"]),
                ("`overdue -f json`, 10,000 actions", [*query, "-p", large, "-f", "json"]),
            ],
            off_env={"CHEPLAN_NO_CACHE": "1"},
        ),
        Piece(
            "json-writer",
            "JSON writer (off: json.dumps(indent=2))",
            [
                ("`overdue -f json`, shipped plan", [*query, "-p", shipped, "-f", "json"]),
                ("`overdue -f json`, 10,000 actions", [*query, "-p", large, "-f", "json"]),
                ("`overdue -f json`, 100,000 short actions", [*query, "-p", short, "-f", "json"]),
            ],
            NO_JSON_WRITER,
        ),
        Piece(
            "bounded-validation",
            "bounded validation (off: the whole file in one pydantic call)",
            [
                ("cold `validate`, shipped plan", ["validate", shipped]),
                ("cold `validate`, 10,000 actions", ["validate", large]),
                ("cold `validate`, `actions: [{}, ...]` x 20,000", ["validate", str(plans["hostile"])]),
            ],
            NO_BOUNDED_VALIDATION,
        ),
        Piece(
            "template-cache",
            "template cache (off: Jinja2 compiles the template each run)",
            [
                ("`report -f markdown`, shipped plan", ["report", "-p", shipped, "--as-of", AS_OF, "-f", "markdown"]),
                ("`report -f html`, shipped plan", ["report", "-p", shipped, "--as-of", AS_OF]),
            ],
            NO_TEMPLATE_CACHE,
        ),
    ]


def _process_pieces(plans: dict[str, Path]) -> list[Piece]:
    """The pieces that save work on the process: the collector, and Typer building commands."""
    shipped, large = str(plans["shipped"]), str(plans["10000"])
    query = ["overdue", "--as-of", AS_OF]
    return [
        Piece(
            "gc-freeze",
            "gc.freeze() before exit (off: the collector's exit pass)",
            [
                ("`overdue`, shipped plan", [*query, "-p", shipped]),
                ("`overdue -f json`, shipped plan", [*query, "-p", shipped, "-f", "json"]),
                ("`overdue -f json`, 10,000 actions", [*query, "-p", large, "-f", "json"]),
            ],
            NO_GC_FREEZE,
        ),
        Piece(
            "gc-pause",
            "collector paused during the run (off: gc.disable() does nothing)",
            [
                ("`overdue -f json`, shipped plan", [*query, "-p", shipped, "-f", "json"]),
                ("cold `validate`, 10,000 actions", ["validate", large]),
            ],
            NO_GC_PAUSE,
        ),
        Piece(
            "narrowing",
            "building only the invoked command, click's LazyGroup pattern (off: every command is built)",
            [
                ("`--help`", ["--help"]),
                ("`overdue -f json`, shipped plan", [*query, "-p", shipped, "-f", "json"]),
                ("`overdue`, shipped plan", [*query, "-p", shipped]),
            ],
            NO_NARROWING,
        ),
    ]


def _plans() -> dict[str, Path]:
    sized = write_plans(OUT)
    hostile = OUT / "machinery-actions-empty-20000.yaml"
    hostile.write_text("actions: [" + "{}, " * 19_999 + "{}]\n", encoding="utf-8")
    return {"shipped": SHIPPED_PLAN, "10000": sized[10_000], "short": write_short_plan(OUT), "hostile": hostile}


def _launcher(patch: str) -> list[str]:
    return [sys.executable, "-c", _PRELUDE + patch + _MAIN]


def compare(piece: Piece, bench: Bench, rounds: int) -> list[str]:
    """One Markdown row per command: on and off, CPU × `python -c pass`, peak MiB, what it buys."""
    rows = []
    for label, args in piece.commands:
        on: dict[str, list[float]] = {"ratio": [], "mib": [], "cpu": []}
        off: dict[str, list[float]] = {"ratio": [], "mib": [], "cpu": []}
        cold = args[0] == "validate"
        outdated = False
        for _ in range(rounds):
            for variant, patch, env in ((on, "", {}), (off, piece.off_patch, piece.off_env)):
                key = f"{piece.name} {label} {'off' if variant is off else 'on'}"
                extra = {**env, **({"CHEPLAN_NO_CACHE": "1"} if cold else {})}
                result = bench.measure(key, [*_launcher(patch), *args], env=extra, paired=True, expected=(0, 1))
                outdated |= PATCH_OUTDATED in result.codes
                variant["ratio"].append(bench.ratio(key))
                variant["mib"].append(result.peak_mib)
                variant["cpu"].append(result.cpu_seconds or 0.0)
        ratio_on, ratio_off = statistics.median(on["ratio"]), statistics.median(off["ratio"])
        cpu_on, cpu_off = statistics.median(on["cpu"]) * 1000, statistics.median(off["cpu"]) * 1000
        mib_on, mib_off = max(on["mib"]), max(off["mib"])
        if outdated:
            rows.append(f"| {piece.what} | {label} | not measured: the patch no longer fits the code | | | |")
            continue
        rows.append(
            f"| {piece.what} | {label} | {ratio_on:.2f}× ({cpu_on:.0f} ms) | {ratio_off:.2f}× ({cpu_off:.0f} ms) "
            f"| {ratio_off - ratio_on:+.2f}× ({cpu_off - cpu_on:+.0f} ms) | {mib_on:.0f} / {mib_off:.0f} MiB |"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds of 3 paired runs instead of 3 of 7")
    parser.add_argument("--only", action="append", help="measure only this piece (repeatable)")
    args = parser.parse_args(argv)
    plans = _plans()
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=OUT))
    bench = Bench(runs=3 if args.quick else 7, slow_runs=3, env=base_environment(cache))
    header = [
        "| piece | command | on | off | buys | peak on / off |",
        "|---|---|---:|---:|---:|---:|",
    ]
    rows = []
    try:
        for plan in plans.values():  # warm: the validation cache holds every plan, as it does for a user
            subprocess.run([*_launcher(""), "validate", str(plan)], env=bench.env, capture_output=True, check=False)
        for piece in pieces(plans):
            if args.only and piece.name not in args.only:
                continue
            print(f"{piece.name} ...", flush=True)
            rows += compare(piece, bench, rounds=3)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    machine = f"python {sys.version.split()[0]}, {sys.platform}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    text = "\n".join([machine, "", *header, *rows]) + "\n"
    (OUT / "machinery.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
