"""Which actions implement each recommendation, whether they are on track, and what nothing covers.

Pure computation over a plan and its registers: no I/O, and the date is always passed in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from cheplan.domain.errors import UsageError
from cheplan.domain.model import Action, Plan
from cheplan.domain.refs import REFERENCE_RE, reference_problem, source_of
from cheplan.domain.register import Recommendation, Register
from cheplan.domain.words import closest
from cheplan.questions.actions import is_overdue
from cheplan.questions.indicators import measures_of

TraceState = Literal["not_covered", "dropped", "overdue", "delivered", "in_progress", "planned"]
TRACE_STATES: tuple[TraceState, ...] = ("not_covered", "dropped", "overdue", "delivered", "in_progress", "planned")
TRACE_STATE_LABELS: dict[str, str] = {
    "not_covered": "not covered",
    "dropped": "dropped",
    "overdue": "overdue",
    "delivered": "delivered",
    "in_progress": "in progress",
    "planned": "planned",
}
UNCOVERED_STATES: frozenset[str] = frozenset({"not_covered", "dropped"})


def implementing(actions: list[Action], as_of: date) -> list[Action]:
    """The actions that still count on `as_of`: a dropped action no longer implements anything."""
    return [a for a in actions if a.status_on(as_of) != "dropped"]


def rolled_up_state(citing: list[Action], as_of: date) -> TraceState:
    """One state for a recommendation from the actions citing it; the first rule that applies wins."""
    if not citing:
        return "not_covered"
    live = implementing(citing, as_of)
    if not live:
        return "dropped"
    if any(is_overdue(a, as_of) for a in live):
        return "overdue"
    statuses = {a.status_on(as_of) for a in live}
    if statuses == {"complete"}:
        return "delivered"
    if statuses & {"in_progress", "complete"}:
        return "in_progress"
    return "planned"


@dataclass(frozen=True)
class RecommendationTrace:
    recommendation: Recommendation
    source: str
    section_title: str
    # Every action citing it, in plan order, dropped ones included (the state says what they count for).
    actions: list[Action]
    state: TraceState

    @property
    def covered(self) -> bool:
        return self.state not in UNCOVERED_STATES


@dataclass(frozen=True)
class UnknownReference:
    """A reference to a source whose register is loaded, naming an id that register does not hold."""

    action: int
    reference: str


@dataclass(frozen=True)
class SectionCoverage:
    source: str
    section: str
    title: str
    covered: int
    total: int


@dataclass(frozen=True)
class UncheckedSource:
    """A source the plan cites with no register loaded: its references cannot be checked."""

    source: str
    references: int
    distinct: int


@dataclass(frozen=True)
class Trace:
    as_of: date
    registers: list[Register]
    # Every recommendation of the registers traced (after a source filter), by section.
    recommendations: list[RecommendationTrace]
    unknown_references: list[UnknownReference] = field(default_factory=list)
    uncited_actions: list[Action] = field(default_factory=list)
    unchecked: list[UncheckedSource] = field(default_factory=list)
    # Recommendation id -> the ids of the outcome indicators that measure it (plan order).
    measures: dict[str, list[str]] = field(default_factory=dict)

    def measured_by(self, item: RecommendationTrace) -> list[str]:
        return self.measures.get(item.recommendation.id, [])

    @property
    def measured(self) -> int:
        """How many traced recommendations at least one outcome indicator measures."""
        return sum(1 for r in self.recommendations if self.measured_by(r))

    @property
    def total(self) -> int:
        return len(self.recommendations)

    @property
    def covered(self) -> int:
        return sum(1 for r in self.recommendations if r.covered)

    @property
    def percent(self) -> float:
        """Coverage in percent; an empty register covers nothing (a CI gate should not pass on it)."""
        return 100.0 * self.covered / self.total if self.total else 0.0

    def below(self, threshold: float) -> bool:
        """Coverage is under `threshold` percent (compared exactly, without rounding)."""
        return self.covered * 100 < threshold * self.total or self.total == 0

    def by_state(self) -> dict[str, int]:
        counts = Counter(r.state for r in self.recommendations)
        return {state: counts[state] for state in TRACE_STATES}

    def by_section(self) -> list[SectionCoverage]:
        sections: dict[tuple[str, str], list[RecommendationTrace]] = {}
        for item in self.recommendations:
            sections.setdefault((item.source, item.recommendation.section), []).append(item)
        return [
            SectionCoverage(source, section, items[0].section_title, sum(1 for i in items if i.covered), len(items))
            for (source, section), items in sections.items()
        ]


def unique_registers(registers: list[Register]) -> list[Register]:
    """One register per source, the first loaded (a second one is a `duplicate-register` error)."""
    seen: dict[str, Register] = {}
    for register in registers:
        seen.setdefault(register.source.code, register)
    return list(seen.values())


def citations(plan: Plan) -> dict[str, list[Action]]:
    """Reference -> the actions citing it, in plan order, each action once."""
    cited: dict[str, list[Action]] = {}
    for action in plan.actions:
        for reference in dict.fromkeys(action.recommendations):
            cited.setdefault(reference, []).append(action)
    return cited


def _register_traces(register: Register, cited: dict[str, list[Action]], as_of: date) -> list[RecommendationTrace]:
    section_order = {s.id: index for index, s in enumerate(register.sections)}
    # Grouped by section in the register's order; within a section, as the register lists them.
    ordered = sorted(register.recommendations, key=lambda r: section_order.get(r.section, len(section_order)))
    return [
        RecommendationTrace(
            recommendation=r,
            source=register.source.code,
            section_title=register.section_title(r.section),
            actions=cited.get(r.id, []),
            state=rolled_up_state(cited.get(r.id, []), as_of),
        )
        for r in ordered
    ]


def _unchecked(plan: Plan, loaded_sources: set[str]) -> list[UncheckedSource]:
    references: Counter[str] = Counter()
    distinct: dict[str, set[str]] = {}
    for action in plan.actions:
        for reference in dict.fromkeys(action.recommendations):
            source = source_of(reference)
            if source not in loaded_sources:
                references[source] += 1
                distinct.setdefault(source, set()).add(reference)
    key_order = [s.code for s in plan.plan.recommendation_key]
    ordered = sorted(references, key=lambda s: (key_order.index(s) if s in key_order else len(key_order), s))
    return [UncheckedSource(s, references[s], len(distinct[s])) for s in ordered]


def build_trace(plan: Plan, registers: list[Register], as_of: date, *, source: str | None = None) -> Trace:
    """Trace every recommendation of `registers` (only `source`'s when given) through `plan` as of a date.

    `source` must be the code of a loaded register; the caller checks that.
    """
    loaded = unique_registers(registers)
    shown = [r for r in loaded if source is None or r.source.code == source]
    cited = citations(plan)
    traces = [t for register in shown for t in _register_traces(register, cited, as_of)]
    by_code = {r.source.code: r for r in shown}
    unknown = [
        UnknownReference(action.id, reference)
        for action in plan.actions
        for reference in dict.fromkeys(action.recommendations)
        if source_of(reference) in by_code and by_code[source_of(reference)].get(reference) is None
    ]
    return Trace(
        as_of=as_of,
        registers=shown,
        recommendations=traces,
        unknown_references=unknown,
        uncited_actions=[a for a in plan.actions if not a.recommendations],
        unchecked=_unchecked(plan, {r.source.code for r in loaded}),
        measures={reference: [i.id for i in found] for reference, found in measures_of(plan).items()},
    )


def find_recommendation(trace: Trace, wanted: str, plan: Plan, registers: list[Register]) -> RecommendationTrace:
    """The traced recommendation `wanted` names (any case), or a UsageError that helps find it."""
    reference = wanted.strip()
    item = next((r for r in trace.recommendations if r.recommendation.id.casefold() == reference.casefold()), None)
    if item is not None:
        return item
    codes = [r.source.code for r in unique_registers(registers)]
    if not REFERENCE_RE.fullmatch(reference):
        # A bare item ("5", "P1") is a natural shorthand: point at the id it would be.
        suffix = f"-{reference}".casefold()
        guesses = [
            r.recommendation.id for r in trace.recommendations if r.recommendation.id.casefold().endswith(suffix)
        ]
        if guesses:
            raise UsageError(f"no recommendation {reference!r}: did you mean {' or '.join(guesses)}?")
        raise UsageError(reference_problem(reference) or f"{reference!r} is not a reference")
    source = source_of(reference)
    if source.casefold() not in {c.casefold() for c in codes}:
        cited_by = citations(plan).get(reference, [])
        cited = f"; cited by action {', '.join(str(a.id) for a in cited_by)}" if cited_by else ""
        raise UsageError(
            f"{reference}: no {source} register is loaded (loaded: {', '.join(codes) or 'none'}){cited};"
            " add one with --register FILE"
        )
    traced = [r.source.code for r in trace.registers]
    if source.casefold() not in {c.casefold() for c in traced}:
        raise UsageError(f"{reference} is not in --source {', '.join(traced)}; leave out --source to trace it")
    ids = {r.recommendation.id.upper(): r.recommendation.id for r in trace.recommendations}
    close = closest(reference.upper(), list(ids))
    hint = f"did you mean {ids[close]}?" if close else f"known: {', '.join(ids.values())}"
    shown = "the traced registers" if len(trace.registers) != 1 else f"the {trace.registers[0].source.code} register"
    raise UsageError(f"no recommendation {reference} in {shown} ({hint})")
