"""Cross-checks that run after the schema: rules no single field can express.

Each check is a small function registered with its code and severity, in the style of
yamllint rules; tests/loading/test_checks.py holds a PASS and a FAIL example for every one.
A check yields findings as (document, path, message); the runner turns them into problems
at file:line:col.

This module holds the registry (`check`, `CHECKS`, `run_checks`, `CheckContext`, `Finding`)
and the checks on the plan's structure. Checks on progress entries live in
progress_checks.py and checks on registers in register_checks.py; every check module is
imported at the end of this one, so importing `cheplan.loading.checks` registers them all.
A new check module registers with `from cheplan.loading.checks import check` and is added
to that list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from cheplan.domain.model import Action, Period, Plan, RecommendationSource, Theme
from cheplan.domain.months import months_between
from cheplan.domain.problems import Path, Problem, Severity
from cheplan.domain.refs import source_of
from cheplan.domain.register import Register
from cheplan.domain.words import suggestion
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
        )

    def register_for(self, source: str) -> Register | None:
        return next((r for r, _ in self.registers if r.source.code == source), None)


@dataclass(frozen=True)
class Finding:
    doc: YamlDocument
    path: Path
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
    problems = []
    for rule in CHECKS:
        for finding in rule.function(ctx):
            problems.append(
                finding.doc.problem_at(
                    finding.path, rule.code, finding.message, severity=rule.severity, at_key=finding.at_key
                )
            )
    return problems


def _first_lines(doc: YamlDocument, paths: list[Path]) -> str:
    line, _ = doc.positions.locate(paths[0])
    return f"line {line}"


def did_you_mean(word: str, options: list[str]) -> str:
    # A looser cutoff than for field names: ids are short, one wrong letter is a big share.
    return suggestion(word, options, cutoff=0.5)


@check("duplicate-action-id", "error", "Two actions have the same number.")
def duplicate_action_ids(ctx: CheckContext) -> Iterator[Finding]:
    first: dict[int, int] = {}
    for index, action in ctx.actions:
        if action.id in first:
            earlier = _first_lines(ctx.plan_doc, [("actions", first[action.id], "id")])
            yield Finding(
                ctx.plan_doc,
                ("actions", index, "id"),
                f"action id {action.id} is used twice (first at {earlier}); each action needs its own number",
            )
        else:
            first[action.id] = index


@check("duplicate-theme-id", "error", "Two themes have the same id.")
def duplicate_theme_ids(ctx: CheckContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, theme in ctx.themes:
        if theme.id in seen:
            yield Finding(ctx.plan_doc, ("themes", index, "id"), f"theme id {theme.id!r} is used twice")
        seen.add(theme.id)


@check("unknown-theme", "error", "An action names a theme the plan does not define.")
def unknown_themes(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.themes_complete:
        return
    known = [t.id for _, t in ctx.themes]
    known_set = set(known)
    for index, action in ctx.actions:
        if action.theme not in known_set:
            yield Finding(
                ctx.plan_doc,
                ("actions", index, "theme"),
                f"action {action.id}: no theme {action.theme!r}{did_you_mean(action.theme, known)}",
            )


@check("start-after-end", "error", "An action ends before it starts.")
def start_after_end(ctx: CheckContext) -> Iterator[Finding]:
    for index, action in ctx.actions:
        if months_between(action.start, action.end) < 0:
            yield Finding(
                ctx.plan_doc,
                ("actions", index, "end"),
                f"action {action.id} ends ({action.end}) before it starts ({action.start})",
            )


@check("plan-period-inverted", "error", "The plan period ends before it starts.")
def plan_period_inverted(ctx: CheckContext) -> Iterator[Finding]:
    period = ctx.period
    if period is not None and months_between(period.start, period.end) < 0:
        yield Finding(
            ctx.plan_doc,
            ("plan", "period", "end"),
            f"plan period ends ({period.end}) before it starts ({period.start})",
        )


@check("duplicate-source-code", "error", "The recommendations key lists a source twice.")
def duplicate_source_codes(ctx: CheckContext) -> Iterator[Finding]:
    counts = Counter(s.code for _, s in ctx.sources)
    for index, source in ctx.sources:
        if counts[source.code] > 1:
            counts[source.code] = 0  # report the first repeat only
            yield Finding(
                ctx.plan_doc, ("plan", "recommendation_key", index, "code"), f"source {source.code!r} is listed twice"
            )


@check("unknown-source", "error", "A reference cites a source missing from the plan's recommendations key.")
def unknown_sources(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.sources_complete:
        return
    known = [s.code for _, s in ctx.sources]
    known_set = set(known)
    for index, action in ctx.actions:
        for ref_index, reference in enumerate(action.recommendations):
            source = source_of(reference)
            if source not in known_set:
                yield Finding(
                    ctx.plan_doc,
                    ("actions", index, "recommendations", ref_index),
                    f"action {action.id}: {reference} cites source {source!r}, which is not in the plan's"
                    f" recommendations key{did_you_mean(source, known)}",
                )


@check("unknown-recommendation", "error", "A reference names a recommendation its source's register does not hold.")
def unknown_recommendations(ctx: CheckContext) -> Iterator[Finding]:
    # Looked up once: scanning a register per reference grows with plan size times register size.
    registers = {r.source.code: r for r, _ in reversed(ctx.registers)}  # the first loaded wins
    known = {code: {rec.id for rec in register.recommendations} for code, register in registers.items()}
    for index, action in ctx.actions:
        for ref_index, reference in enumerate(action.recommendations):
            source = source_of(reference)
            register = registers.get(source)
            if register is not None and reference not in known[source]:
                ids = [r.id for r in register.recommendations]
                yield Finding(
                    ctx.plan_doc,
                    ("actions", index, "recommendations", ref_index),
                    f"action {action.id}: {reference} is not in the {register.source.code} register"
                    f"{did_you_mean(reference, ids)}",
                )


@check("duplicate-reference", "warning", "An action cites the same recommendation twice.")
def duplicate_references(ctx: CheckContext) -> Iterator[Finding]:
    for index, action in ctx.actions:
        seen: set[str] = set()
        for ref_index, reference in enumerate(action.recommendations):
            if reference in seen:
                yield Finding(
                    ctx.plan_doc,
                    ("actions", index, "recommendations", ref_index),
                    f"action {action.id} cites {reference} twice",
                )
            seen.add(reference)


def acknowledged(action: Action, field_name: str) -> bool:
    """A source note on the field records that the oddity is the source's, on purpose."""
    return any(note.field == field_name for note in action.source_notes)


@check("outside-plan-period", "warning", "An action ends before the plan period starts, or starts after it ends.")
def outside_plan_period(ctx: CheckContext) -> Iterator[Finding]:
    period = ctx.period
    if period is None:
        return
    for index, action in ctx.actions:
        if months_between(period.start, action.end) < 0 and not acknowledged(action, "end"):
            yield Finding(
                ctx.plan_doc,
                ("actions", index, "end"),
                f"action {action.id} ends ({action.end}) before the plan period starts ({period.start});"
                " if the source printed this, record a source note on `end`",
            )
        if months_between(action.start, period.end) < 0 and not acknowledged(action, "start"):
            yield Finding(
                ctx.plan_doc,
                ("actions", index, "start"),
                f"action {action.id} starts ({action.start}) after the plan period ends ({period.end})",
            )


# Imported last, for their @check registrations: they import the registry defined above.
from cheplan.loading import progress_checks, register_checks  # noqa: E402

__all__ = [
    "CHECKS",
    "Check",
    "CheckContext",
    "CheckFunction",
    "Finding",
    "acknowledged",
    "check",
    "did_you_mean",
    "progress_checks",
    "register_checks",
    "run_checks",
]
