"""Cross-checks on the recommendation registers (registered in checks.py)."""

from __future__ import annotations

from collections.abc import Iterator

from cheplan.domain.refs import source_of
from cheplan.loading.checks import CheckContext, Finding, check, did_you_mean


@check("duplicate-recommendation-id", "error", "A register lists the same recommendation id twice.")
def duplicate_recommendation_ids(ctx: CheckContext) -> Iterator[Finding]:
    for register, doc in ctx.registers:
        seen: set[str] = set()
        for index, recommendation in enumerate(register.recommendations):
            if recommendation.id in seen:
                yield Finding(
                    doc, ("recommendations", index, "id"), f"recommendation id {recommendation.id} is used twice"
                )
            seen.add(recommendation.id)


@check("register-id-source", "error", "A register entry's id does not start with the register's source code.")
def register_id_source(ctx: CheckContext) -> Iterator[Finding]:
    for register, doc in ctx.registers:
        for index, recommendation in enumerate(register.recommendations):
            if source_of(recommendation.id) != register.source.code:
                yield Finding(
                    doc,
                    ("recommendations", index, "id"),
                    f"{recommendation.id} is in the {register.source.code} register, so its id must start"
                    f" with {register.source.code}-",
                )


@check("unknown-section", "error", "A register entry names a section the register does not define.")
def unknown_sections(ctx: CheckContext) -> Iterator[Finding]:
    for register, doc in ctx.registers:
        known = [s.id for s in register.sections]
        for index, recommendation in enumerate(register.recommendations):
            if recommendation.section not in known:
                yield Finding(
                    doc,
                    ("recommendations", index, "section"),
                    f"{recommendation.id}: no section {recommendation.section!r}"
                    f"{did_you_mean(recommendation.section, known)}",
                )


@check("duplicate-register", "error", "Two registers are loaded for the same source.")
def duplicate_registers(ctx: CheckContext) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for register, doc in ctx.registers:
        code = register.source.code
        if code in seen:
            yield Finding(doc, ("source", "code"), f"a register for {code} is already loaded from {seen[code]}")
        else:
            seen[code] = doc.name
