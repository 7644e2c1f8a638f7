"""Cross-checks of the plan's outcome indicators (registered in checks.py).

The schema says each field is well formed; these say the indicator makes sense as a whole:
a target after its baseline, values for periods of the indicator's kind and within its unit's
range, corrections that correct something and say why, and links that lead somewhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from cheplan.domain.indicators import Indicator, unit_problem
from cheplan.domain.periods import period_index, period_kind
from cheplan.domain.problems import KeyPath
from cheplan.domain.refs import source_of
from cheplan.loading.checks import CheckContext, Finding, check, did_you_mean


def indicators_of(ctx: CheckContext) -> list[tuple[int, Indicator]]:
    """The indicators that pass the schema, by index (every one when the plan is valid)."""
    if ctx.plan is not None:
        return list(enumerate(ctx.plan.indicators))
    from cheplan.loading.schema import validate_items

    data = ctx.plan_doc.data
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        return []
    return validate_items(data, ("indicators",), Indicator)[0]


@check("duplicate-indicator-id", "error", "Two indicators have the same id.")
def duplicate_indicator_ids(ctx: CheckContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, indicator in indicators_of(ctx):
        if indicator.id in seen:
            yield Finding(ctx.plan_doc, ("indicators", index, "id"), f"indicator id {indicator.id!r} is used twice")
        seen.add(indicator.id)


@check("target-before-baseline", "error", "An indicator's target period is not after its baseline period.")
def target_before_baseline(ctx: CheckContext) -> Iterator[Finding]:
    for index, indicator in indicators_of(ctx):
        baseline, target = indicator.baseline.period, indicator.target.by
        if period_kind(baseline) != period_kind(target):
            yield Finding(
                ctx.plan_doc,
                ("indicators", index, "target", "by"),
                f"indicator {indicator.id}: the target period {target} is a {period_kind(target)}, but the"
                f" baseline {baseline} is a {period_kind(baseline)}; use the same kind of period",
            )
        elif period_index(target) <= period_index(baseline):
            yield Finding(
                ctx.plan_doc,
                ("indicators", index, "target", "by"),
                f"indicator {indicator.id}: the target period {target} is not after the baseline period {baseline}",
            )


@check("indicator-value-out-of-range", "error", "A baseline, target or value is outside its unit's range.")
def values_out_of_range(ctx: CheckContext) -> Iterator[Finding]:
    for index, indicator in indicators_of(ctx):
        figures: list[tuple[KeyPath, int | float]] = [
            (("baseline", "value"), indicator.baseline.value),
            (("target", "value"), indicator.target.value),
        ]
        figures += [(("values", n, "value"), entry.value) for n, entry in enumerate(indicator.values)]
        for path, value in figures:
            problem = unit_problem(indicator.unit, value)
            if problem is not None:
                yield Finding(ctx.plan_doc, ("indicators", index, *path), f"indicator {indicator.id}: {problem}")


@check(
    "indicator-value-period", "error", "A value is for no period, a period of the wrong kind, or before the baseline."
)
def value_periods(ctx: CheckContext) -> Iterator[Finding]:
    for index, indicator in indicators_of(ctx):
        kind = period_kind(indicator.baseline.period)
        start = period_index(indicator.baseline.period)
        for n, entry in enumerate(indicator.values):
            where = ("indicators", index, "values", n)
            if entry.period is None and entry.corrects is None:
                yield Finding(ctx.plan_doc, where, f"indicator {indicator.id}: a value needs a `period`", at_key=True)
                continue
            if entry.period is not None and entry.corrects is not None and entry.period != entry.corrects:
                yield Finding(
                    ctx.plan_doc,
                    (*where, "corrects"),
                    f"indicator {indicator.id}: the entry is for {entry.period} but corrects {entry.corrects};"
                    " a correction is for the period it corrects",
                )
                continue
            key = "corrects" if entry.corrects is not None else "period"
            period = entry.for_period
            if period_kind(period) != kind:
                yield Finding(
                    ctx.plan_doc,
                    (*where, key),
                    f"indicator {indicator.id}: {period} is a {period_kind(period)}, but the indicator is"
                    f" reported by {kind} (its baseline is {indicator.baseline.period})",
                )
            elif period_index(period) <= start:
                yield Finding(
                    ctx.plan_doc,
                    (*where, key),
                    f"indicator {indicator.id}: {period} is not after the baseline period {indicator.baseline.period}",
                )


@check(
    "indicator-correction",
    "error",
    "A value repeats a period without `corrects`, or corrects nothing, or gives no reason.",
)
def corrections(ctx: CheckContext) -> Iterator[Finding]:
    for index, indicator in indicators_of(ctx):
        reported: set[str] = set()
        for n, entry in enumerate(indicator.values):
            where = ("indicators", index, "values", n)
            if entry.corrects is not None:
                if entry.corrects not in reported:
                    yield Finding(
                        ctx.plan_doc,
                        (*where, "corrects"),
                        f"indicator {indicator.id}: corrects {entry.corrects}, which has no earlier value",
                    )
                elif not entry.note.strip():
                    yield Finding(
                        ctx.plan_doc,
                        (*where, "corrects"),
                        f"indicator {indicator.id}: the correction of {entry.corrects} needs a note saying why",
                    )
            elif entry.period is not None and entry.period in reported:
                yield Finding(
                    ctx.plan_doc,
                    (*where, "period"),
                    f"indicator {indicator.id}: {entry.period} already has a value; to change it, add an"
                    f" entry with `corrects: {entry.period}` and a note saying why",
                )
            if entry.for_period:
                reported.add(entry.for_period)


@check(
    "indicator-unknown-link",
    "error",
    "An indicator names an action, recommendation or organisation the plan does not have.",
)
def unknown_links(ctx: CheckContext) -> Iterator[Finding]:
    indicators = indicators_of(ctx)
    if not indicators:
        return
    actions = {action.id for _, action in ctx.actions}
    sources = [s.code for _, s in ctx.sources]
    registers = {r.source.code: {rec.id for rec in r.recommendations} for r, _ in ctx.registers}
    organisations = _organisation_ids(ctx)
    for index, indicator in indicators:
        for n, action_id in enumerate(indicator.actions):
            if ctx.plan is not None and action_id not in actions:
                yield Finding(
                    ctx.plan_doc,
                    ("indicators", index, "actions", n),
                    f"indicator {indicator.id}: no action {action_id}",
                )
        for n, reference in enumerate(indicator.recommendations):
            source = source_of(reference)
            if ctx.sources_complete and source not in sources:
                why = f"{reference} cites source {source!r}, which is not in the plan's recommendations key"
                yield Finding(
                    ctx.plan_doc, ("indicators", index, "recommendations", n), f"indicator {indicator.id}: {why}"
                )
            elif source in registers and reference not in registers[source]:
                why = f"{reference} is not in the {source} register"
                yield Finding(
                    ctx.plan_doc, ("indicators", index, "recommendations", n), f"indicator {indicator.id}: {why}"
                )
        if organisations is None:
            continue
        named: list[tuple[KeyPath, str]] = [(("owner",), indicator.owner)]
        named += [
            (("values", n, "organisation"), v.organisation) for n, v in enumerate(indicator.values) if v.organisation
        ]
        for path, organisation in named:
            if organisation not in organisations:
                yield Finding(
                    ctx.plan_doc,
                    ("indicators", index, *path),
                    f"indicator {indicator.id}: no organisation {organisation!r} in the plan's `organisations`"
                    f"{did_you_mean(str(organisation), organisations)}",
                )


def _organisation_ids(ctx: CheckContext) -> list[str] | None:
    """The directory's ids; None when there is no complete directory to check against."""
    data = ctx.plan_doc.data
    raw = data.get("organisations") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not all(isinstance(o, dict) and isinstance(o.get("id"), str) for o in raw):
        return None
    return [o["id"] for o in raw]
