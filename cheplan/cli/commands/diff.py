"""`cheplan diff [BASE]`: what an edit changes, in plain words, against the plan at a git revision."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import FORMAT, NoDefaultRegistersOption, PlanOption, RegisterOption, chosen_registers
from cheplan.outputs.formats import DiffFormat

if TYPE_CHECKING:
    from cheplan.domain.register import Register


def diff(
    base: Annotated[str, typer.Argument(metavar="[BASE]", help="Git revision to compare with.")] = "HEAD",
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    format_name: Annotated[DiffFormat, FORMAT] = DiffFormat.text,
) -> int:
    """What an edit changes: the plan in the working tree against the same file at BASE.

    Lists added and removed actions, each changed field in plain words, and the change in
    recommendation coverage. Exit 0, or 2 outside a git repository or for an unknown revision.
    """
    from cheplan.domain.errors import InvalidPlanError
    from cheplan.domain.safe_text import visible
    from cheplan.loading.git_revision import load_versions
    from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
    from cheplan.outputs.diff_formats import DiffReport
    from cheplan.outputs.formats import render
    from cheplan.questions.diff import compare, raw_actions

    plan_path = resolve_plan(plan)
    versions = load_versions(plan_path, base)
    if versions.new.data is None:
        raise InvalidPlanError(versions.new.problems)
    old_data = versions.old.data
    if old_data is None or not isinstance(old_data, dict) or not isinstance(old_data.get("actions"), list):
        reason = "cannot be read as YAML" if old_data is None else "has no list of actions"
        print(f"cheplan: note: {visible(versions.old.name)} {reason}, so every action shows as added", file=sys.stderr)
    registers = resolve_registers(chosen_registers(register, no_default_registers))
    change = compare(versions, _registers(registers))
    old, new = raw_actions(versions.old.data), raw_actions(versions.new.data)
    sys.stdout.write(render(DiffReport(change, old, new, display_name(plan_path), base), format_name))
    sys.stdout.flush()
    return EXIT_OK


def _registers(paths: list[Path]) -> list[Register]:
    """The registers that validate; coverage is only counted against those."""
    from cheplan.loading.load import valid_registers

    found, invalid = valid_registers(paths)
    for name in invalid:
        print(f"cheplan: note: {name} is not a valid register; coverage leaves it out", file=sys.stderr)
    return found
