"""Per-stage timings, in-process, in a fresh interpreter per plan size.

    python benchmarks/stages.py PLAN [REPEATS]   # prints a JSON object: stage -> seconds

The cyclic garbage collector is off, as it is while `cheplan` runs a command.
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from measure import SHIPPED_REGISTER

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


def _median_time(action: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def run_stages(plan_path: Path, repeats: int) -> dict[str, float]:
    """In-process seconds per stage of `validate` and of a query, for one plan file."""
    gc.disable()
    stages: dict[str, float] = {}
    started = time.perf_counter()
    from cheplan.loading.load import Source
    from cheplan.outputs.action_listings import actions_listing
    from cheplan.outputs.formats import render
    from cheplan.outputs.listing import DEFAULT_TABLE_LIMIT
    from cheplan.questions.actions import filter_actions

    stages["import cheplan (no YAML, pydantic or Rich)"] = time.perf_counter() - started
    stages["read file"], source = _median_time(lambda: Source.read(plan_path), repeats)
    plan = _validation_stages(stages, source, plan_path, repeats)
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


def _validation_stages(stages: dict[str, float], source: Any, plan_path: Path, repeats: int) -> Any:
    from cheplan.domain.model import Plan
    from cheplan.domain.register import Register
    from cheplan.loading.checks import CheckContext, run_checks
    from cheplan.loading.load import Source, load_plan, validate_sources
    from cheplan.loading.safe_yaml import parse_yaml
    from cheplan.loading.schema import _adapter, validate_document

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
        lambda: load_plan(plan_path, [SHIPPED_REGISTER], cache=True), repeats
    )
    return plan


def stages_in_child(plan_path: Path, repeats: int, env: dict[str, str]) -> dict[str, float]:
    command = [sys.executable, str(Path(__file__).resolve()), str(plan_path), str(repeats)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    stages: dict[str, float] = json.loads(done.stdout)
    return stages


if __name__ == "__main__":
    print(json.dumps(run_stages(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3)))
