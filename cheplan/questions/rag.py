"""RAG ratings: red, amber, green, blue, grey or none, derived from the plan as of a date.

Councils define RAG differently, so the rule is part of the evidence: `RULES` below is the
one place it lives. Each row pairs the words printed in every report's key (and in
docs/board-pack.md) with the test that applies them; the first row whose test gives reasons
wins. A pure question: no I/O, and "today" is always passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from cheplan.domain.model import Action, ProgressEntry
from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS, Rag, status_label
from cheplan.domain.words import plural
from cheplan.questions.actions import due_date, effective_end

# The values a lead can give, and the derived rating's own: blue (finished), grey (dropped), none.
RatingName = Literal[Rag, "blue", "grey", "none"]
# Worst first: the order of bars, counts and keys.
RATINGS: tuple[RatingName, ...] = get_args(RatingName)
# The letter shown on every bar and row, so colour never carries the meaning alone (D: dropped,
# N: not started).
LETTERS: dict[str, str] = {"red": "R", "amber": "A", "green": "G", "blue": "B", "grey": "D", "none": "N"}
# "Due within 30 days and not in progress" is amber.
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class Facts:
    """What the rules look at: an action as it stood on `as_of`."""

    action: Action
    as_of: date
    stale_days: int
    status: str
    latest: ProgressEntry | None
    end: str
    due: date

    @property
    def days_left(self) -> int:
        return (self.due - self.as_of).days

    @property
    def days_since_update(self) -> int | None:
        return (self.as_of - date.fromisoformat(self.latest.date)).days if self.latest else None


def _complete(facts: Facts) -> list[str]:
    if facts.status != "complete":
        return []
    return [f"complete (reported {facts.latest.date})" if facts.latest else "complete"]


def _dropped(facts: Facts) -> list[str]:
    if facts.status != "dropped":
        return []
    why = facts.latest.note if facts.latest and facts.latest.note else "no reason recorded"
    return [f"dropped{f' on {facts.latest.date}' if facts.latest else ''}: {why}"]


def _late(facts: Facts) -> list[str]:
    if facts.days_left >= 0:
        return []
    days = plural(-facts.days_left, "day")
    return [f"past its effective end {facts.end} (due {facts.due.isoformat()}) by {days} and not finished"]


def _at_risk(facts: Facts) -> list[str]:
    reasons = []
    if facts.end > facts.action.end:
        reasons.append(f"slipped: effective end {facts.end}, baseline {facts.action.end}")
    age = facts.days_since_update
    if age is not None and age > facts.stale_days and facts.latest is not None:
        reasons.append(f"stale: latest update {facts.latest.date}, {plural(age, 'day')} old (over {facts.stale_days})")
    if facts.days_left <= DUE_SOON_DAYS and facts.status != "in_progress":
        left = plural(facts.days_left, "day")
        reasons.append(f"due {facts.due.isoformat()} ({left} left) and {status_label(facts.status)}, not in progress")
    return reasons


def _on_track(facts: Facts) -> list[str]:
    if facts.status != "in_progress":
        return []
    return [f"in progress, due {facts.due.isoformat()} ({plural(facts.days_left, 'day')} left)"]


def _not_started(facts: Facts) -> list[str]:
    # Every earlier row has been ruled out: not finished, not late, not at risk, not in progress.
    if facts.latest is None:
        return [f"no progress reported yet; due {facts.due.isoformat()}"]
    return [f"{status_label(facts.status)} as of {facts.latest.date}; due {facts.due.isoformat()}"]


@dataclass(frozen=True)
class Rule:
    rating: RatingName
    when: str
    test: Callable[[Facts], list[str]]


# The rule table: the first row whose test gives reasons decides the rating. The `when` text is
# printed as the key of every report and copied in docs/board-pack.md (a test keeps all three equal).
RULES: tuple[Rule, ...] = (
    Rule("blue", "complete", _complete),
    Rule("grey", "dropped, with its reason", _dropped),
    Rule("red", "past its effective end (baseline or agreed revised end) and not finished", _late),
    Rule(
        "amber",
        "at risk: the effective end is later than the baseline (it slipped), or its latest progress entry is"
        " more than N days old (stale: by default no update since the meeting before last, or more than"
        f" {DEFAULT_STALE_DAYS} days when the plan lists no meetings), or due within 30 days and not in progress",
        _at_risk,
    ),
    Rule("green", "in progress and on track", _on_track),
    Rule(
        "none",
        "not started: no progress entry yet (or only planned), and not yet due; shown distinctly, never as green",
        _not_started,
    ),
)


@dataclass(frozen=True)
class Override:
    """The lead's own judgement on the latest progress entry, shown beside the derived rating."""

    rating: str
    note: str
    date: str
    by: str | None


@dataclass(frozen=True)
class Rating:
    """A derived rating, why (one reason per condition that applies), and the lead's own, if any."""

    rating: RatingName
    reasons: tuple[str, ...]
    override: Override | None

    @property
    def letter(self) -> str:
        return LETTERS[self.rating]

    @property
    def flagged(self) -> bool:
        """Red or amber by the rule or by the lead's own judgement: an exception for the board."""
        return self.rating in ("red", "amber") or (self.override is not None and self.override.rating != "green")


def facts_of(action: Action, as_of: date, stale_days: int = DEFAULT_STALE_DAYS) -> Facts:
    latest = action.progress_on(as_of)
    return Facts(
        action=action,
        as_of=as_of,
        stale_days=stale_days,
        status=action.status_on(as_of),
        latest=latest,
        end=effective_end(action, as_of),
        due=due_date(action, as_of),
    )


def rate(action: Action, as_of: date, *, stale_days: int | None = None) -> Rating:
    """The action's RAG rating on `as_of`: the first rule of `RULES` that applies (stale after
    `stale_days` without an update; None: DEFAULT_STALE_DAYS)."""
    return rate_facts(facts_of(action, as_of, DEFAULT_STALE_DAYS if stale_days is None else stale_days))


def rate_facts(facts: Facts) -> Rating:
    """The rating `RULES` give these facts (an action's, or one organisation's share of it)."""
    latest = facts.latest
    override = Override(latest.rag, latest.note, latest.date, latest.by) if latest is not None and latest.rag else None
    for rule in RULES:
        reasons = rule.test(facts)
        if reasons:
            return Rating(rule.rating, tuple(reasons), override)
    raise AssertionError("the last rule always applies")  # pragma: no cover
