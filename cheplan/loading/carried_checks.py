"""Across plan years: each `carried_from` must name a real action of the earlier plan, when that
plan's file is given (`cheplan validate --earlier FILE`).

PASS: `carried_from: {plan: "2020/21", action: 22}` with a 2020/21 plan holding action 22.
FAIL: the same with no action 22 there, or with action 22 carried but not in its `closed:` list.
"""

from __future__ import annotations

from pathlib import Path

from cheplan.domain.model import Plan
from cheplan.domain.problems import Problem
from cheplan.domain.rollover import plan_label


def earlier_plans(paths: list[Path]) -> dict[str, Plan]:
    """Each earlier plan file given, by its label (from its period)."""
    from cheplan.loading.load import load_plan

    found = {}
    for path in paths:
        plan = load_plan(path, []).plan
        found[plan_label(plan.plan.period.start, plan.plan.period.end)] = plan
    return found


def carried_problems(plan_path: Path, plan: Plan, earlier: dict[str, Plan]) -> list[Problem]:
    """An error for each `carried_from` naming a given earlier plan that has no such action."""
    from cheplan.loading.files import read_text
    from cheplan.loading.locate import display_name
    from cheplan.loading.safe_yaml import parse_yaml

    doc = None
    problems = []
    for index, action in enumerate(plan.actions):
        carried = action.carried_from
        if carried is None or carried.plan not in earlier:
            continue
        source = earlier[carried.plan]
        message = None
        if source.action(carried.action) is None:
            message = (
                f"action {action.id} is carried from {carried.plan} action {carried.action},"
                " which that plan does not hold"
            )
        elif source.closed is not None and carried.action not in source.closed.carried:
            message = (
                f"action {action.id} is carried from {carried.plan} action {carried.action},"
                f" which that plan's `closed:` block does not list as carried"
            )
        if message is not None:
            if doc is None:
                name = display_name(plan_path)
                doc = parse_yaml(read_text(plan_path, name), name)
            problems.append(
                doc.problem_at(("actions", index, "carried_from", "action"), "carried-from-unknown", message)
            )
    return problems
