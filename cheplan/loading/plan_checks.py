"""Cross-checks on the plan's structure: ids, themes, sources, periods (registered in checks.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from cheplan.domain.months import months_between
from cheplan.domain.refs import source_of
from cheplan.loading import problem_cap
from cheplan.loading.checks import CheckContext, Finding, acknowledged, check, did_you_mean


@check("duplicate-action-id", "error", "Two actions have the same number.")
def duplicate_action_ids(ctx: CheckContext) -> Iterator[Finding]:
    first: dict[int, int] = {}
    repeats: list[tuple[int, int, int]] = []  # (index, the first index with its id, the id)
    for index, action in ctx.actions:
        if action.id in first:
            repeats.append((index, first[action.id], action.id))
        else:
            first[action.id] = index
    # The first lines are found together: in a large file, one pass for them all. Past the
    # problem cap findings are only counted, so only the lines that can be shown are looked for.
    shown = repeats[: problem_cap.MAX_PROBLEMS_PER_FILE + 1]
    ctx.plan_doc.prefetch(("actions", earlier, "id") for _, earlier, _ in shown)
    for n, (index, earlier, action_id) in enumerate(repeats):
        where = f"line {ctx.plan_doc.locate(('actions', earlier, 'id'))[0]}" if n < len(shown) else "an earlier action"
        yield Finding(
            ctx.plan_doc,
            ("actions", index, "id"),
            f"action id {action_id} is used twice (first at {where}); each action needs its own number",
        )


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
    ids = {code: [rec.id for rec in register.recommendations] for code, register in registers.items()}
    for index, action in ctx.actions:
        for ref_index, reference in enumerate(action.recommendations):
            source = source_of(reference)
            register = registers.get(source)
            if register is not None and reference not in known[source]:
                yield Finding(
                    ctx.plan_doc,
                    ("actions", index, "recommendations", ref_index),
                    f"action {action.id}: {reference} is not in the {register.source.code} register"
                    f"{did_you_mean(reference, ids[source])}",
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
