"""Whether a write keeps the plan under the cap of values a plan is read under (MAX_NODES).

A plan near the cap with many entries to record would otherwise be found too big only by the
write's validation, after parsing two million values, and then validated again as it stands to
tell whose fault it is: three whole-plan passes for a refusal. A caller that has just validated
the text counts what the edits add and is refused at once; the validation stays the guarantee.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cheplan.domain.caps import MAX_NODES
from cheplan.domain.errors import UsageError
from cheplan.domain.problems import Problem

TOO_BIG = "yaml-too-big"


def values_in(data: Any) -> int:
    """The values (texts, numbers, lists and mappings; each key a text) `data` holds, as the
    reader counts them in a file without aliases: what a writer adds to a plan, counted before
    the file is made (one pass, no recursion)."""
    count = 1
    pending: list[Any] = [data] if isinstance(data, dict | list) else []
    while pending:
        found = pending.pop()
        items = found.values() if isinstance(found, dict) else found
        count += 2 * len(found) if isinstance(found, dict) else len(found)
        pending += [item for item in items if isinstance(item, dict | list)]
    return count


def over_the_cap(name: str, values: str) -> UsageError:
    return UsageError(
        f"{name} not changed: with these entries the plan would hold {values} (texts, numbers, lists and mappings),"
        f" over the cap of {MAX_NODES:,} a plan is read under; split the plan into smaller ones (fewer actions in"
        " each) before recording more"
    )


def require_within_cap(name: str, values: int) -> None:
    """Refuse (exit 2, naming the cap) a write the count shows would take the plan past it."""
    if values > MAX_NODES:
        raise over_the_cap(name, f"{values:,} values")


def stopped_at_the_cap(problems: Sequence[Problem]) -> bool:
    """Whether the write's validation stopped because the edited text holds too many values."""
    return any(problem.code == TOO_BIG for problem in problems)


def refuse_if_stopped_at_the_cap(name: str, problems: Sequence[Problem]) -> None:
    if stopped_at_the_cap(problems):
        raise over_the_cap(name, f"more than {MAX_NODES:,} values")
