"""Cross-checks of the organisations directory.

Registered with the same decorator as every other cross-check, so `validate` runs them and
tests/loading/test_checks.py holds a PASS and a FAIL example for each. Printed leads resolve to
organisations by `cheplan.domain.leads.name_key`, as the questions resolve them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from cheplan.domain import caps
from cheplan.domain.leads import ALL_PARTNERS, name_key
from cheplan.domain.model import Action, Organisation
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


def running_shares(
    leads: Iterable[Sequence[str]], owner: Callable[[str], str | None], organisations: int
) -> Iterator[int]:
    """After each action, how many (action, organisation) pairs so far: an action led by "All" is
    one for each of the `organisations` of the directory, any other one for each organisation its
    printed leads resolve to (`owner`; None for none), as `questions.organisations.organisations_of`
    counts them. One pass, no list of owners made for "All"; each distinct list of leads is
    resolved once (a plan prints the same few lists on thousands of actions)."""
    counted: dict[tuple[str, ...], int] = {}
    total = 0
    for printed in leads:
        key = tuple(printed)
        shares = counted.get(key)
        if shares is None:
            shares = organisations if ALL_PARTNERS in key else len({owner(lead) for lead in key} - {None})
            counted[key] = shares
        total += shares
        yield total


def _share_directory(ctx: CheckContext) -> tuple[Callable[[str], str | None], int]:
    """How leads resolve and how many organisations "All" means: the directory's, or (a plan without
    one) one organisation per distinct printed lead, as `questions.organisations.directory_of` makes."""
    organisations, _ = _organisations(ctx)
    if not organisations:
        derived = {lead for _, action in ctx.actions for lead in action.lead if lead != ALL_PARTNERS}
        return name_key, len(derived)
    by_name: dict[str, str] = {}
    for _, organisation in organisations:
        for _, name in _names(organisation):
            by_name.setdefault(name_key(name), organisation.id)
    return (lambda lead: by_name.get(name_key(lead))), len(organisations)


@check("too-many-shares", "error", 'Actions counted once per owning organisation ("All": each one) exceed MAX_SHARES.')
def too_many_shares(ctx: CheckContext) -> Iterator[Finding]:
    owner, organisations = _share_directory(ctx)
    first: tuple[int, Action] | None = None
    total = 0
    shares = running_shares((action.lead for _, action in ctx.actions), owner, organisations)
    for (index, action), total in zip(ctx.actions, shares, strict=True):
        if first is None and total > caps.MAX_SHARES:
            first = index, action
    if first is None:
        return
    led_by_all = sum(1 for _, action in ctx.actions if ALL_PARTNERS in action.lead)
    why = (
        f"{led_by_all:,} actions led by {ALL_PARTNERS!r} belong to each of the {organisations:,} organisations"
        if led_by_all
        else "actions belong to each organisation they name"
    )
    yield Finding(
        ctx.plan_doc,
        ("actions", first[0], "lead"),
        f"action {first[1].id} passes the cap: the actions belong to their organisations {total:,} times"
        f" (each action once per organisation that owns it), over the cap of {caps.MAX_SHARES:,}: {why},"
        " and every listing, return and feed names each action once per organisation; lead those actions"
        " by the organisations that do them, keep fewer organisations in the directory, or split the plan",
        at_key=True,
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
