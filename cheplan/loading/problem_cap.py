"""At most MAX_PROBLEMS_PER_FILE problems are reported per file, then one line saying how many more.

A wrong or hostile file (three million unknown keys) would otherwise print millions of lines
and hold every one in memory. Each stage stops making problems at the cap and counts the
rest; `cap_problems` merges the stages, keeps the first problems of each file in file order
and ends the file's list with one `more-problems` line. That line is an error when any
problem left out is an error, so the exit code is the one the full list would give.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from cheplan.domain.problems import MoreProblems, Problem, sort_problems

MAX_PROBLEMS_PER_FILE = 1000
MORE_CODE = "more-problems"


def more_problems(where: tuple[str, int, int], omitted: int, *, errors: int, at_least: bool = False) -> MoreProblems:
    noun = "problem" if omitted == 1 else "problems"
    file, line, column = where
    count = (
        f"at least {omitted:,} more {noun} (cheplan stopped counting there)" if at_least else f"{omitted:,} more {noun}"
    )
    return MoreProblems(
        file,
        line,
        column,
        MORE_CODE,
        f"and {count} in this file, not listed: fix the ones above, then validate again",
        "error" if errors else "warning",
        omitted=omitted,
        omitted_errors=errors,
        at_least=at_least,
    )


def _after(kept: Problem | None, left_out: Problem) -> tuple[str, int, int]:
    """Where the `more-problems` line goes: after every problem kept, so it sorts last."""
    if kept is None or left_out.sort_key() > kept.sort_key():
        return left_out.file, left_out.line, left_out.column
    return kept.file, kept.line, kept.column + 1


class Tally:
    """Problems of one stage for one file: kept up to the cap, then only counted."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = MAX_PROBLEMS_PER_FILE if limit is None else limit
        self.kept: list[Problem] = []
        self.omitted = 0
        self.first_left_out: Problem | None = None
        self.errors_left_out = 0
        self.at_least = False  # counting stopped before the end of the file

    @property
    def full(self) -> bool:
        return len(self.kept) >= self.limit

    def add(self, problem: Problem) -> None:
        if not self.full:
            self.kept.append(problem)
            return
        self.left_out(problem.is_error, problem)

    def offer(self, is_error: bool, make: Callable[[], Problem]) -> None:
        """Add the problem `make` makes, or once the cap is reached and placed, only count it:
        making a problem (its message, its position) costs more than counting it."""
        if self.full and self.first_left_out is not None:
            self.left_out(is_error)
        else:
            self.add(make())

    def left_out(self, is_error: bool, problem: Problem | None = None) -> None:
        """Count a problem not made; the first one left out is made, for its position."""
        self.omitted += 1
        self.errors_left_out += is_error
        if self.first_left_out is None and problem is not None:
            self.first_left_out = problem

    def left_out_many(self, count: int, *, is_error: bool) -> None:
        """Count `count` problems not made (after the first left out, which was made)."""
        self.omitted += count
        self.errors_left_out += count if is_error else 0

    def problems(self) -> list[Problem]:
        if not self.omitted or self.first_left_out is None:
            return self.kept
        where = _after(None, self.first_left_out)  # placed for good by cap_problems
        more = more_problems(where, self.omitted, errors=self.errors_left_out, at_least=self.at_least)
        return [*self.kept, more]


def cap_problems(problems: list[Problem], limit: int | None = None) -> list[Problem]:
    """Sorted problems, the first `limit` of each file, then one `more-problems` line per file."""
    limit = MAX_PROBLEMS_PER_FILE if limit is None else limit
    kept: list[Problem] = []
    per_file: Counter[str] = Counter()
    omitted: Counter[str] = Counter()
    first: dict[str, Problem] = {}
    last_kept: dict[str, Problem] = {}
    omitted_errors: Counter[str] = Counter()
    stopped: set[str] = set()
    for problem in sort_problems(problems):
        name = problem.file
        if isinstance(problem, MoreProblems):
            count, errors = problem.omitted, problem.omitted_errors
            if problem.at_least:
                stopped.add(name)
        elif per_file[name] < limit:
            kept.append(problem)
            last_kept[name] = problem
            per_file[name] += 1
            continue
        else:
            count, errors = 1, int(problem.is_error)
        omitted[name] += count
        omitted_errors[name] += errors
        first.setdefault(name, problem)
    for name, count in omitted.items():
        where = _after(last_kept.get(name), first[name])
        kept.append(more_problems(where, count, errors=omitted_errors[name], at_least=name in stopped))
    return sort_problems(kept)
