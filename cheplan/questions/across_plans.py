"""Across plan years: an action followed through `carried_from`, and coverage over several plans.

Each plan is named by its label (its period: `2020/21`). A closed plan is read as it stood
when it closed: what it carried on is the next plan's to deliver.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cheplan.domain.errors import UsageError
from cheplan.domain.model import Action, Plan
from cheplan.domain.months import parse_date
from cheplan.domain.register import Register
from cheplan.domain.rollover import plan_label
from cheplan.questions.trace import RecommendationTrace, TraceState, build_trace


@dataclass(frozen=True)
class LabelledPlan:
    label: str
    plan: Plan

    def as_of(self, day: date) -> date:
        """The day to read this plan on: a closed plan as it stood when it closed."""
        closed = self.plan.closed
        return min(day, parse_date(closed.date)) if closed is not None else day


def labelled(plans: list[Plan]) -> list[LabelledPlan]:
    """The plans by label, earliest period first; two plans with one label are a usage error."""
    found = sorted(
        (LabelledPlan(plan_label(p.plan.period.start, p.plan.period.end), p) for p in plans),
        key=lambda item: item.plan.plan.period.start,
    )
    labels = [item.label for item in found]
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        raise UsageError(f"--plan: two plans cover the same period ({', '.join(twice)}); give each year once")
    return found


@dataclass(frozen=True)
class Step:
    """One year of an action's history."""

    label: str
    action: Action
    as_of: date
    carried_into: str | None  # "2021/22#22" when the next plan carries it on


def history(plans: list[LabelledPlan], label: str, action_id: int, as_of: date) -> list[Step]:
    """The action `label#action_id`, with the actions it was carried from and into, oldest first."""
    by_label = {item.label: item for item in plans}
    if label not in by_label:
        raise UsageError(f"no plan given covers {label} (given: {', '.join(by_label) or 'none'}); add it with --plan")
    start = by_label[label].plan.action(action_id)
    if start is None:
        raise UsageError(f"the {label} plan has no action {action_id}")
    chain = [(label, start)]
    while (carried := chain[0][1].carried_from) is not None and carried.plan in by_label:
        earlier = by_label[carried.plan].plan.action(carried.action)
        if earlier is None or any(step[1] is earlier for step in chain):
            break
        chain.insert(0, (carried.plan, earlier))
    while (later := _carried_into(plans, *chain[-1])) is not None:
        chain.append(later)
    return [
        Step(
            step_label,
            action,
            by_label[step_label].as_of(as_of),
            _name(*chain[index + 1]) if index + 1 < len(chain) else None,
        )
        for index, (step_label, action) in enumerate(chain)
    ]


def _name(label: str, action: Action) -> str:
    return f"{label}#{action.id}"


def _carried_into(plans: list[LabelledPlan], label: str, action: Action) -> tuple[str, Action] | None:
    for item in plans:
        for candidate in item.plan.actions:
            carried = candidate.carried_from
            if carried is not None and carried.plan == label and carried.action == action.id:
                return item.label, candidate
    return None


@dataclass(frozen=True)
class RecommendationAcross:
    """A recommendation over several plan years: the actions citing it in each, and each year's state."""

    trace: RecommendationTrace
    actions: list[str]
    states: dict[str, TraceState]

    @property
    def covered(self) -> bool:
        """Covered when any year delivered it or the latest year citing it covers it."""
        live = [state for state in self.states.values() if state != "not_covered"]
        return "delivered" in live or bool(live and live[-1] not in ("not_covered", "dropped"))


def trace_across(plans: list[LabelledPlan], registers: list[Register], as_of: date) -> list[RecommendationAcross]:
    """Every recommendation of the registers, traced in each plan (read on its own as-of date)."""
    traces = [(item.label, build_trace(item.plan, registers, item.as_of(as_of))) for item in plans]
    found = []
    for index, first in enumerate(traces[0][1].recommendations):
        actions, states = [], {}
        for label, traced in traces:
            row = traced.recommendations[index]
            actions += [f"{label}#{action.id}" for action in row.actions]
            states[label] = row.state
        found.append(RecommendationAcross(first, actions, states))
    return found
