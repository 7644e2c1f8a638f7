"""File -> YAML with positions -> schema -> cross-checks -> a result object. Never prints."""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cheplan.domain.corrections_count import count_source_notes
from cheplan.domain.errors import InvalidPlanError
from cheplan.domain.model import Plan
from cheplan.domain.problems import MoreProblems, Problem, ProblemCount
from cheplan.domain.register import Register
from cheplan.loading import cache as validation_cache
from cheplan.loading.locate import display_name
from cheplan.loading.problem_cap import MORE_CODE, cap_problems
from cheplan.loading.safe_yaml import YamlDocument, parse_yaml, read_text

if TYPE_CHECKING:
    from cheplan.loading.checks import CheckContext


# Cross-checks that find a plan past a read cap (caps.py): a plan no command answers, even those
# that show a plan's other problems and answer anyway (`trace`).
PAST_A_CAP = frozenset({"too-many-shares"})


@dataclass(frozen=True)
class Source:
    """A file's text and the name problems should carry."""

    text: str
    name: str

    @classmethod
    def read(cls, path: Path) -> Source:
        name = display_name(path)
        return cls(read_text(path, name), name)


@dataclass
class Validation:
    """Everything `cheplan validate` learned about a plan and its registers."""

    plan: Plan | None
    registers: list[Register]
    problems: list[Problem]
    # The parsed data of the plan and of each register, in order: what the cache keeps.
    documents: list[Any] = field(default_factory=list, repr=False)
    # The plan as parsed, with positions, when asked for (`validate --against` compares it with
    # the plan at a revision): not kept otherwise, for it is as big as the plan.
    plan_document: YamlDocument | None = field(default=None, repr=False)
    # The plan's top-level keys, line and column (yaml_builder.build); empty when not known.
    top_keys: list[tuple[str, int, int]] = field(default_factory=list, repr=False)
    # How many values the plan holds outside `rounds`, once counted (editing.round_validation).
    nodes_besides_rounds: int | None = field(default=None, repr=False)
    plan_values: int = 0  # the values written in the plan file (what MAX_NODES caps); 0 when unread

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def counts(self) -> ProblemCount:
        """How many errors and warnings, counting the problems a `more-problems` line stands for."""
        return ProblemCount.of(self.problems)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def source_notes(self) -> int:
        return 0 if self.plan is None else count_source_notes(self.plan, self.registers)


@dataclass(frozen=True)
class LoadedPlan:
    """A plan that passed validation, with the registers it was checked against."""

    plan: Plan
    registers: list[Register]
    plan_name: str
    values: int | None = None  # the plan file's values, when validated just now (a writer counts what it adds)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a plan is built.

    Reading a plan allocates a container per value and creates no reference cycles, yet the collector keeps
    walking every object allocated so far: a fifth of the time of reading a 10,000-action plan, for nothing
    freed. Whatever cycles there are wait until after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_sources(
    plan_source: Source, register_sources: list[Source], *, today: date | None = None, keep_document: bool = False
) -> Validation:
    """Validate texts already in memory (files, or a file at a git revision).

    With `today`, checks that compare dates with today run too (progress dated in the future);
    with `keep_document`, the result keeps the parsed plan (`plan_document`)."""
    with collector_paused():
        return _validate_sources(plan_source, register_sources, today, keep_document)


def _validate_sources(
    plan_source: Source, register_sources: list[Source], today: date | None, keep_document: bool
) -> Validation:
    from cheplan.loading.checks import CheckContext, run_checks
    from cheplan.loading.schema import validate_document

    problems: list[Problem] = []
    plan_doc = parse_yaml(plan_source.text, plan_source.name)
    problems += plan_doc.problems
    plan = None
    if plan_doc.data is not None:
        plan, schema_problems = validate_document(plan_doc, Plan)
        problems += schema_problems
    registers: list[tuple[Register, YamlDocument]] = []
    documents = [plan_doc.data]
    for source in register_sources:
        doc, register, register_problems = _register_of(source)
        documents.append(doc.data)
        problems += register_problems
        if register is not None:
            registers.append((register, doc))
    if plan is not None:
        problems += run_checks(CheckContext.for_plan(plan, plan_doc, registers, today=today))
    elif isinstance(plan_doc.data, dict):
        context, all_looked_at = _partial_context(plan_doc, registers, today)
        problems += run_checks(context)
        if not all_looked_at:  # the actions after the stop were not cross-checked: there may be more
            problems.append(MoreProblems(plan_doc.name, 1, 1, MORE_CODE, "", "error", at_least=True))
    return Validation(
        plan=plan,
        registers=[r for r, _ in registers],
        problems=cap_problems(problems),
        documents=documents,
        plan_document=plan_doc if keep_document else None,
        top_keys=plan_doc.top_keys,
        plan_values=plan_doc.values,
    )


@functools.lru_cache(maxsize=4)
def _register_of(source: Source) -> tuple[YamlDocument, Register | None, list[Problem]]:
    """A register parsed and checked against its schema, once per run: `validate` given many
    plans (as pre-commit does) checks each against the same register."""
    from cheplan.loading.schema import validate_document

    doc = parse_yaml(source.text, source.name)
    if doc.data is None:
        return doc, None, list(doc.problems)
    register, schema_problems = validate_document(doc, Register)
    return doc, register, [*doc.problems, *schema_problems]


def _partial_context(
    plan_doc: YamlDocument, registers: list[tuple[Register, YamlDocument]], today: date | None
) -> tuple[CheckContext, bool]:
    """What of an invalid plan passes the schema on its own, to cross-check; and whether every
    action was looked at (in a hopeless list of actions, checking stops early)."""
    from cheplan.domain.model import Action, RecommendationSource, Theme
    from cheplan.domain.plan_period import Period
    from cheplan.loading.checks import CheckContext
    from cheplan.loading.schema import validate_items, validate_part

    data, known = plan_doc.data, plan_doc.valid_items
    actions, _, all_looked_at = validate_items(data, ("actions",), Action, known)
    themes, themes_complete, _ = validate_items(data, ("themes",), Theme, known)
    sources, sources_complete, _ = validate_items(data, ("plan", "recommendation_key"), RecommendationSource, known)
    period = validate_part(data, ("plan", "period"), Period)
    context = CheckContext(
        plan_doc, actions, themes, sources, period, themes_complete, sources_complete, registers=registers, today=today
    )
    return context, all_looked_at


def validate_paths(
    plan_path: Path,
    register_paths: list[Path],
    *,
    today: date | None = None,
    cache: bool = False,
    keep_document: bool = False,
) -> Validation:
    """Validate the files; with `cache`, a valid plan is remembered for the next query to load
    fast; with `keep_document`, the result keeps the parsed plan."""
    plan_source = Source.read(plan_path)
    register_sources = [Source.read(p) for p in register_paths]
    key = validation_cache.content_key([plan_source.text, *(s.text for s in register_sources)])
    validation = validate_sources(plan_source, register_sources, today=today, keep_document=keep_document)
    del plan_source  # a large plan's text need not sit beside its cache entry being written
    if validation.ok and cache:
        validation_cache.remember_valid(key, validation.documents, pool="validate")
    return validation


def load_plan(plan_path: Path, register_paths: list[Path], *, cache: bool = False) -> LoadedPlan:
    """A validated plan for a query; raises InvalidPlanError listing every problem.

    With `cache` (the command line's choice), a plan validated before is loaded from the user's
    cache directory, and a newly validated one is remembered there; a library call, by default,
    neither reads nor writes it.
    """
    found = _loaded_or_failed(plan_path, register_paths, cache)
    if isinstance(found, Validation):
        raise InvalidPlanError(found.errors)
    return found


def _loaded_or_failed(plan_path: Path, register_paths: list[Path], cache: bool) -> LoadedPlan | Validation:
    """The plan when it is valid (from the cache, or validated and then remembered), else the
    validation that failed: validated once either way."""
    plan_source = Source.read(plan_path)
    register_sources = [Source.read(p) for p in register_paths]
    key = validation_cache.content_key([plan_source.text, *(s.text for s in register_sources)])
    with collector_paused():
        documents = validation_cache.load_valid(key) if cache else None
        if documents is not None:
            trusted = load_trusted(plan_source.name, documents, len(register_sources))
            if trusted is not None:
                return trusted
        validation = validate_sources(plan_source, register_sources)
    if not validation.ok or validation.plan is None:
        return validation
    name = plan_source.name
    del plan_source  # a large plan's text need not sit beside its cache entry being written
    if cache:
        validation_cache.remember_valid(key, validation.documents)
        TOP_KEYS.clear()
        TOP_KEYS[key] = validation.top_keys
    return LoadedPlan(validation.plan, validation.registers, name, validation.plan_values)


TOP_KEYS: dict[str, list[tuple[str, int, int]]] = {}  # the one plan validated and cached here (the cache keeps none)


def load_trusted(plan_name: str, documents: list[Any], register_count: int) -> LoadedPlan | None:
    """Rebuild a plan from the parsed data the cache kept when it passed validation."""
    from cheplan.loading.schema import build_trusted

    if len(documents) != 1 + register_count:
        return None
    try:
        plan = build_trusted(Plan, documents[0])
        registers = [build_trusted(Register, d) for d in documents[1:]]
    except (TypeError, ValueError, KeyError, AttributeError):
        return None  # a cache entry that does not fit: validate properly instead
    return LoadedPlan(plan, registers, plan_name)


def load_leniently(
    plan_path: Path, register_paths: list[Path], *, cache: bool = False
) -> tuple[Plan, list[Register], list[Problem]]:
    """The plan and registers, with the cross-check errors found rather than raised.

    A valid plan takes the fast (with `cache`, cached) path; one that fails is validated once."""
    found = _loaded_or_failed(plan_path, register_paths, cache)
    if isinstance(found, LoadedPlan):
        return found.plan, found.registers, []
    validation = found
    # A register that fails its schema would silently drop out and its references look unchecked;
    # a plan past a read cap is answered by no command, leniently or not.
    past_a_cap = any(problem.code in PAST_A_CAP for problem in validation.errors)
    if validation.plan is None or len(validation.registers) != len(register_paths) or past_a_cap:
        raise InvalidPlanError(validation.errors)
    return validation.plan, validation.registers, validation.errors


def valid_registers(paths: list[Path]) -> tuple[list[Register], list[str]]:
    """The registers that pass their schema, and the names of those that do not (left out)."""
    from cheplan.loading.schema import validate_document

    found, invalid = [], []
    for path in paths:
        source = Source.read(path)
        document = parse_yaml(source.text, source.name)
        register = validate_document(document, Register)[0] if document.data is not None else None
        if register is None:
            invalid.append(source.name)
        else:
            found.append(register)
    return found, invalid
