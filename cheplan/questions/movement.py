"""Movement since the last meeting: each action's rating then (as of the previous meeting,
recomputed from the log) beside its rating now, and what the board reads from the pair.

No snapshot is kept: the log records every entry with its date, so the rating on any past day
is exact. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from cheplan.questions.rag import RATINGS, Rating

# How far from on track each rating is: moving down this scale is an improvement. Finished and
# dropped actions need nothing; not started and on track are level.
SEVERITY: dict[str, int] = {"red": 3, "amber": 2, "green": 1, "none": 1, "blue": 0, "grey": 0}


class Paired(Protocol):
    """An action's rating now and then (the board's RatedAction)."""

    @property
    def rating(self) -> Rating: ...

    @property
    def then(self) -> Rating: ...


T = TypeVar("T", bound=Paired)


@dataclass(frozen=True)
class Movement(Generic[T]):
    """Counts then and now, and the actions that improved, worsened or are new to red."""

    then: dict[str, int]
    now: dict[str, int]
    improved: list[T]
    worsened: list[T]
    new_red: list[T]

    def counts_text(self, ratings: Sequence[str] = ("red", "amber", "green")) -> str:
        """ "red 9 → 7, amber 5 → 11, green 10 → 8"."""
        return ", ".join(f"{r} {self.then[r]} → {self.now[r]}" for r in ratings)


def movement_of(rated: Sequence[T]) -> Movement[T]:
    then: dict[str, int] = dict.fromkeys(RATINGS, 0)
    now: dict[str, int] = dict.fromkeys(RATINGS, 0)
    for item in rated:
        then[item.then.rating] += 1
        now[item.rating.rating] += 1
    return Movement(
        then=then,
        now=now,
        improved=[i for i in rated if SEVERITY[i.rating.rating] < SEVERITY[i.then.rating]],
        worsened=[i for i in rated if SEVERITY[i.rating.rating] > SEVERITY[i.then.rating]],
        new_red=[i for i in rated if i.rating.rating == "red" and i.then.rating != "red"],
    )
