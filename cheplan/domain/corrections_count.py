"""How many source notes the data records: the one count of corrections to the sources."""

from __future__ import annotations

from cheplan.domain.model import Plan
from cheplan.domain.register import Register


def count_source_notes(plan: Plan, registers: list[Register]) -> int:
    """Every source note recorded, as `cheplan corrections` lists them: the one count that
    `validate`, `corrections` and the board report all print."""
    return (
        sum(len(s.source_notes) for s in plan.plan.recommendation_key)
        + sum(len(t.source_notes) for t in plan.themes)
        + sum(len(a.source_notes) for a in plan.actions)
        + sum(len(o.source_notes) for o in plan.organisations)
        + sum(len(r.source_notes) for register in registers for r in register.recommendations)
    )
