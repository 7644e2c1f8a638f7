"""Cross-checks of contacts and returns rounds.

Registered with the same decorator as every other cross-check; tests/loading/round_check_examples.py
holds a PASS and a FAIL example for each.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from cheplan.domain.rounds import ReturnsRound
from cheplan.loading.checks import CheckContext, Finding, check

T = TypeVar("T")


def _validated(ctx: CheckContext, key: str, kind: type[T]) -> list[tuple[int, T]]:
    from cheplan.loading.schema import validate_items

    data = ctx.plan_doc.data
    if not isinstance(data, dict) or not data.get(key):
        return []
    passed, _, _ = validate_items(data, (key,), kind)
    return passed


@check("several-primary-contacts", "error", "An organisation marks more than one contact primary.")
def several_primary_contacts(ctx: CheckContext) -> Iterator[Finding]:
    from cheplan.domain.model import Organisation

    for index, organisation in _validated(ctx, "organisations", Organisation):
        primary = [i for i, contact in enumerate(organisation.contacts) if contact.primary]
        for contact_index in primary[1:]:
            yield Finding(
                ctx.plan_doc,
                ("organisations", index, "contacts", contact_index, "primary"),
                f"organisation {organisation.id!r}: contact {organisation.contacts[contact_index].name!r} is marked"
                f" primary, and so is {organisation.contacts[primary[0]].name!r}; a message has one addressee",
            )


@check("duplicate-round", "error", "Two returns rounds have the same id.")
def duplicate_rounds(ctx: CheckContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, found in _validated(ctx, "rounds", ReturnsRound):
        if found.id in seen:
            yield Finding(ctx.plan_doc, ("rounds", index, "id"), f"round {found.id!r} is recorded twice; merge them")
        seen.add(found.id)


@check("unknown-round-organisation", "error", "A round records a message or return for no organisation of the plan.")
def unknown_round_organisations(ctx: CheckContext) -> Iterator[Finding]:
    from cheplan.domain.model import Organisation

    organisations = _validated(ctx, "organisations", Organisation)
    if not organisations:
        return  # without a directory, ids are derived from the printed leads
    known = {o.id for _, o in organisations}
    for index, found in _validated(ctx, "rounds", ReturnsRound):
        records = [("messages", i, m.organisation) for i, m in enumerate(found.messages)]
        records += [("returned", i, r.organisation) for i, r in enumerate(found.returned)]
        for key, position, organisation in records:
            if organisation not in known:
                yield Finding(
                    ctx.plan_doc,
                    ("rounds", index, key, position, "organisation"),
                    f"round {found.id!r}: {organisation!r} is no organisation of the plan's directory",
                )


@check("unknown-round-meeting", "error", "A round feeds a meeting the plan's meetings do not list.")
def unknown_round_meetings(ctx: CheckContext) -> Iterator[Finding]:
    from cheplan.domain.meetings import Meeting

    meetings = _validated(ctx, "meetings", Meeting)
    if not meetings:
        return  # a plan that lists no meetings: the round's date is all there is
    dates = [m.date for _, m in meetings]
    for index, found in _validated(ctx, "rounds", ReturnsRound):
        if found.meeting is not None and found.meeting not in dates:
            yield Finding(
                ctx.plan_doc,
                ("rounds", index, "meeting"),
                f"round {found.id!r} feeds a meeting on {found.meeting}, which `meetings` does not list"
                f" (it lists {', '.join(sorted(dates))})",
            )
