"""Cross-checks of the organisations directory.

Registered with the same decorator as every other cross-check, so `validate` runs them and
tests/loading/test_checks.py holds a PASS and a FAIL example for each. Printed leads resolve to
organisations by `cheplan.domain.leads.name_key`, as the questions resolve them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cheplan.domain.leads import ALL_PARTNERS, name_key
from cheplan.domain.model import Organisation
from cheplan.domain.words import suggestion
from cheplan.loading.checks import CheckContext, Finding, check


def _organisations(ctx: CheckContext) -> tuple[list[tuple[int, Organisation]], bool]:
    """The directory entries that pass the schema, and whether all of them do."""
    from cheplan.loading.schema import validate_items

    data = ctx.plan_doc.data
    if not isinstance(data, dict) or data.get("organisations") is None:
        return [], True
    passed, complete, _ = validate_items(data, ("organisations",), Organisation)
    return passed, complete


def _names(organisation: Organisation) -> list[tuple[tuple[Any, ...], str]]:
    """Each way the organisation can be named, with its path under the organisation."""
    return [
        (("id",), organisation.id),
        (("name",), organisation.name),
        *((("aliases", index), alias) for index, alias in enumerate(organisation.aliases)),
    ]


def _actions_complete(ctx: CheckContext) -> bool:
    data = ctx.plan_doc.data
    raw = data.get("actions") if isinstance(data, dict) else None
    return isinstance(raw, list) and len(raw) == len(ctx.actions)


@check("unknown-lead", "error", "A printed lead resolves to no organisation of the plan's directory.")
def unknown_leads(ctx: CheckContext) -> Iterator[Finding]:
    organisations, complete = _organisations(ctx)
    if not organisations or not complete:
        return  # no directory: every lead is its own organisation
    known = {name_key(name) for _, o in organisations for _, name in _names(o)}
    names = [o.name for _, o in organisations]
    hints: dict[str, str] = {}  # the same unknown lead in many actions: one suggestion (difflib) each
    for index, action in ctx.actions:
        for lead_index, lead in enumerate(action.lead):
            if lead != ALL_PARTNERS and name_key(lead) not in known:
                if lead not in hints:
                    hints[lead] = suggestion(lead, names, cutoff=0.5)
                yield Finding(
                    ctx.plan_doc,
                    ("actions", index, "lead", lead_index),
                    f"action {action.id}: lead {lead!r} is no organisation in the directory"
                    f"{hints[lead]}; add it as an alias of the organisation it"
                    " means, with a source note saying why",
                )


@check("ambiguous-organisation-name", "error", "Two organisations claim the same id, name or alias.")
def ambiguous_names(ctx: CheckContext) -> Iterator[Finding]:
    organisations, _ = _organisations(ctx)
    claimed: dict[str, Organisation] = {}
    for index, organisation in organisations:
        for path, name in _names(organisation):
            first = claimed.setdefault(name_key(name), organisation)
            if first is not organisation:
                yield Finding(
                    ctx.plan_doc,
                    ("organisations", index, *path),
                    f"{name!r} is claimed by organisations {first.id!r} and {organisation.id!r};"
                    " a printed lead must mean one organisation",
                )


@check("reserved-organisation-name", "error", 'An organisation is named "All", which means every organisation.')
def reserved_names(ctx: CheckContext) -> Iterator[Finding]:
    organisations, _ = _organisations(ctx)
    reserved = name_key(ALL_PARTNERS)
    for index, organisation in organisations:
        for path, name in _names(organisation):
            if name_key(name) == reserved:
                yield Finding(
                    ctx.plan_doc,
                    ("organisations", index, *path),
                    f"{name!r} is reserved: a lead of {ALL_PARTNERS!r} means every organisation, so no"
                    f" organisation may be named so; give {organisation.id!r} another name",
                )


@check("unused-organisation", "warning", "An organisation of the directory leads no action.")
def unused_organisations(ctx: CheckContext) -> Iterator[Finding]:
    if not _actions_complete(ctx):
        return
    organisations, _ = _organisations(ctx)
    # "All" is every partner, so it does not show that an organisation is named anywhere.
    used = {name_key(lead) for _, action in ctx.actions for lead in action.lead}
    reserved = name_key(ALL_PARTNERS)
    used.discard(reserved)
    for index, organisation in organisations:
        names = {name_key(name) for _, name in _names(organisation)}
        if reserved not in names and not names & used:  # one named "All" has its error already
            yield Finding(
                ctx.plan_doc,
                ("organisations", index, "id"),
                f"organisation {organisation.id!r} leads no action; remove it, or check the leads that mean it",
            )
