"""Synthetic plans for the benchmark, written to benchmarks/out/ (git-ignored).

- 38, 1,000 and 10,000 actions: the shipped action blocks repeated verbatim with new ids,
  so the YAML style is the shipped one.
- 100,000 short actions: one-line texts, one lead, one recommendation; the size at which
  per-row costs (status, JSON encoding) show.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from measure import REPO, SHIPPED_PLAN

SIZES = (38, 1_000, 10_000)
SHORT_ACTIONS = 100_000
_SHORT_LEADS = ("MPS Southwark", "LBS Children's Services", "LBS Community Safety & Partnerships", "NPS")


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


def short_actions_plan(count: int) -> str:
    """The shipped plan's header and themes with `count` short actions, ending through 2020."""
    head, marker, _ = SHIPPED_PLAN.read_text(encoding="utf-8").partition("\nactions:\n")
    parts = [head, marker]
    for number in range(1, count + 1):
        parts.append(
            f"  - id: {number}\n"
            "    theme: governance\n"
            f"    action: Action {number}\n"
            f"    outcomes: Outcome {number}\n"
            "    lead:\n"
            f"      - {json.dumps(_SHORT_LEADS[number % len(_SHORT_LEADS)])}\n"
            '    start: "2020-04"\n'
            f'    end: "2020-{number % 9 + 4:02d}"\n'
            "    recommendations:\n"
            "      - SELR-1\n"
        )
    return "".join(parts)


def write_plans(directory: Path) -> dict[int, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    plans = {}
    for count in SIZES:
        path = directory / f"plan_{count}.yaml"
        path.write_text(synthetic_plan(count), encoding="utf-8")
        plans[count] = path
    return plans


def write_short_plan(directory: Path, count: int = SHORT_ACTIONS) -> Path:
    path = directory / f"plan_short_{count}.yaml"
    path.write_text(short_actions_plan(count), encoding="utf-8")
    return path


def schema_file(directory: Path, cheplan: list[str], env: dict[str, str]) -> Path:
    """The plan JSON Schema for check-jsonschema: the committed file, else `cheplan schema`."""
    committed = REPO / "schema" / "plan.schema.json"
    if committed.is_file():
        return committed
    exported = directory / "plan.schema.json"
    done = subprocess.run([*cheplan, "schema"], capture_output=True, text=True, env=env, check=True)
    exported.write_text(done.stdout, encoding="utf-8")
    return exported
