"""Cross-checks that run after the schema: rules no single field can express.

Each check is a small function registered with its code and severity, in the style of
yamllint rules; tests/loading/test_checks.py holds a PASS and a FAIL example for every one.
A check yields findings as (document, path, message); the runner turns them into problems
at file:line:col.

This module holds the registry (`check`, `CHECKS`, `run_checks`, `CheckContext`, `Finding`)
and the helpers checks share. The checks live in plan_checks.py (the plan's structure),
progress_checks.py (progress entries) and register_checks.py (registers); every check
module is imported at the end of this one, so importing `cheplan.loading.checks` registers
them all, in that order.
A new check module registers with `from cheplan.loading.checks import check` and is added
to that list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from cheplan.domain.model import Action, Plan, RecommendationSource, Theme
from cheplan.domain.plan_period import Period
from cheplan.domain.problems import KeyPath, Problem, Severity
from cheplan.domain.register import Register
from cheplan.domain.words import suggestion
from cheplan.loading.problem_cap import Tally
from cheplan.loading.safe_yaml import YamlDocument


@dataclass
class CheckContext:
    """What the checks see: every part of the plan that passed the schema, by its index.

    When some actions fail the schema the rest are still checked, so one run reports every
    problem. Checks that compare against the whole list of themes or sources only run when
    that list is complete, to avoid false alarms.
    """

    plan_doc: YamlDocument
    actions: list[tuple[int, Action]]
    themes: list[tuple[int, Theme]]
    sources: list[tuple[int, RecommendationSource]]
    period: Period | None
    themes_complete: bool = True
    sources_complete: bool = True
    registers: list[tuple[Register, YamlDocument]] = field(default_factory=list)
    # The date the run is made, when the caller gives one (`validate` does): checks that
    # compare with today skip without it, so the core never reads the clock.
    today: date | None = None
    # The whole plan, when it passed the schema (checks of newer parts read it from here).
    plan: Plan | None = None

    @classmethod
    def for_plan(
        cls,
        plan: Plan,
        plan_doc: YamlDocument,
        registers: list[tuple[Register, YamlDocument]] | None = None,
        *,
        today: date | None = None,
    ) -> CheckContext:
        return cls(
            plan_doc,
            list(enumerate(plan.actions)),
            list(enumerate(plan.themes)),
            list(enumerate(plan.plan.recommendation_key)),
            plan.plan.period,
            registers=registers or [],
            today=today,
            plan=plan,
        )


@dataclass(frozen=True)
class Finding:
    doc: YamlDocument
    path: KeyPath
    message: str
    at_key: bool = False


CheckFunction = Callable[[CheckContext], Iterator[Finding]]


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    summary: str
    function: CheckFunction


CHECKS: list[Check] = []


def check(code: str, severity: Severity, summary: str) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        CHECKS.append(Check(code, severity, summary, function))
        return function

    return register


def run_checks(ctx: CheckContext) -> list[Problem]:
    """Every check's findings as problems, at most MAX_PROBLEMS_PER_FILE (then a count) per file."""
    tallies: dict[str, Tally] = {}
    # Findings to make into problems, per file: up to the cap and the first one past it (for
    # its position); the rest are only counted. Positions are found for all of them at once:
    # in a large file, one pass over it instead of one per problem.
    chosen: dict[str, list[tuple[Check, Finding]]] = {}
    docs: dict[str, YamlDocument] = {}
    for rule in CHECKS:
        for finding in rule.function(ctx):
            name = finding.doc.name
            tally = tallies.setdefault(name, Tally())
            found = chosen.setdefault(name, [])
            if len(found) <= tally.limit:
                found.append((rule, finding))
                docs[name] = finding.doc
            else:
                tally.left_out(rule.severity == "error")
    for name, found in chosen.items():
        docs[name].prefetch(finding.path for _, finding in found)
        tally = tallies[name]
        for rule, finding in found:
            problem = finding.doc.problem_at(
                finding.path, rule.code, finding.message, severity=rule.severity, at_key=finding.at_key
            )
            tally.add(problem)
    return [problem for tally in tallies.values() for problem in tally.problems()]


# A plan with the same mistake in every action (100,000 times the same unknown theme) asks for
# the same suggestion each time; difflib takes about 60 µs a time. Keyed by the options list
# itself (kept alive with the answer, so its id cannot be reused): a check builds it once.
_SUGGESTED: dict[tuple[str, int], tuple[list[str], str]] = {}


def did_you_mean(word: str, options: list[str]) -> str:
    key = (word, id(options))
    found = _SUGGESTED.get(key)
    if found is not None and found[0] is options:
        return found[1]
    # A looser cutoff than for field names: ids are short, one wrong letter is a big share.
    text = suggestion(word, options, cutoff=0.5)
    if len(_SUGGESTED) >= 4096:
        _SUGGESTED.clear()
    _SUGGESTED[key] = (options, text)
    return text


def acknowledged(action: Action, field_name: str) -> bool:
    """A source note on the field records that the oddity is the source's, on purpose."""
    return any(note.field == field_name for note in action.source_notes)


# Imported last, for their @check registrations: they import the registry defined above.
from cheplan.loading import (  # noqa: E402
    handover_checks,
    indicator_checks,
    meeting_checks,
    organisation_checks,
    plan_checks,
    progress_checks,
    register_checks,
    round_checks,
)

__all__ = [
    "CHECKS",
    "Check",
    "CheckContext",
    "CheckFunction",
    "Finding",
    "acknowledged",
    "check",
    "did_you_mean",
    "handover_checks",
    "indicator_checks",
    "meeting_checks",
    "organisation_checks",
    "plan_checks",
    "progress_checks",
    "register_checks",
    "round_checks",
    "run_checks",
]
