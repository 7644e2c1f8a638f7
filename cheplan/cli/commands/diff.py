"""`cheplan diff [BASE]`: what an edit changes, in plain words, against the plan at a git revision."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cheplan.cli.commands import EXIT_OK
from cheplan.domain.errors import InvalidPlanError
from cheplan.domain.safe_text import visible
from cheplan.loading.git_revision import load_versions
from cheplan.loading.load import valid_registers
from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
from cheplan.outputs.diff_formats import render_json, render_markdown, render_text
from cheplan.questions.diff import compare, raw_actions

if TYPE_CHECKING:
    from cheplan.domain.register import Register


def run(*, base: str, plan: Path | None, registers: list[Path] | None, format_name: str) -> int:
    plan_path = resolve_plan(plan)
    versions = load_versions(plan_path, base)
    if versions.new.data is None:
        raise InvalidPlanError(versions.new.problems)
    old_data = versions.old.data
    if old_data is None or not isinstance(old_data, dict) or not isinstance(old_data.get("actions"), list):
        reason = "cannot be read as YAML" if old_data is None else "has no list of actions"
        print(f"cheplan: note: {visible(versions.old.name)} {reason}, so every action shows as added", file=sys.stderr)
    change = compare(versions, _registers(resolve_registers(registers)))
    old, new = raw_actions(versions.old.data), raw_actions(versions.new.data)
    name = display_name(plan_path)
    if format_name == "json":
        text = render_json(change, name, base)
    elif format_name == "markdown":
        text = render_markdown(change, old, new, name, base)
    else:
        text = render_text(change, old, new, name, base)
    sys.stdout.write(text)
    sys.stdout.flush()
    return EXIT_OK


def _registers(paths: list[Path]) -> list[Register]:
    """The registers that validate; coverage is only counted against those."""
    found, invalid = valid_registers(paths)
    for name in invalid:
        print(f"cheplan: note: {name} is not a valid register; coverage leaves it out", file=sys.stderr)
    return found
