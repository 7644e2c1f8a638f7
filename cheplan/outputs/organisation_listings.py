"""`cheplan organisations`: each partner organisation, its aliases, and what it owes."""

from __future__ import annotations

from datetime import date
from typing import Any

from cheplan.domain.contacts import Contact
from cheplan.domain.leads import ALL_PARTNERS
from cheplan.domain.model import Plan
from cheplan.domain.words import plural
from cheplan.outputs.action_listings import note_json
from cheplan.outputs.listing import Cell, Column, Listing
from cheplan.questions.organisation_counts import Owed, owed_by_organisation
from cheplan.questions.organisations import directory_of, organisations_of

ORGANISATION_COLUMNS = [
    # Ids are what `--lead` takes: never broken across lines.
    Column("id", "ID", no_wrap=True),
    # The name first, then every other way the plan prints it (one column keeps 80 columns readable).
    Column("names", "Name; also printed as", ratio=1, min_width=16),
    Column("actions", "Actions", justify="right", no_wrap=True),
    Column("overdue", "Overdue", justify="right", no_wrap=True),
    Column("not_reported", "Not reported", justify="right", min_width=8, max_width=8),
]


# With contacts in the plan, they follow the names: who `returns send` writes to.
CONTACT_COLUMNS = [
    *ORGANISATION_COLUMNS[:2],
    Column("contacts", "Contacts", ratio=1, min_width=16),
    *ORGANISATION_COLUMNS[2:],
]


def _contact_line(contact: Contact) -> str:
    role = f", {contact.role}" if contact.role else ""
    return f"{contact.name}{role} <{contact.email}>{' (primary)' if contact.primary else ''}"


def organisations_listing(plan: Plan, as_of: date) -> Listing:
    """One row per organisation; actions led by "All" count under every one."""
    directory = directory_of(plan)
    owed = owed_by_organisation(directory, plan.actions, as_of)
    rows: list[dict[str, Cell]] = []
    for organisation in directory.organisations:
        names: list[str] = [organisation.name, *organisation.aliases]
        contacts: list[str] = [_contact_line(c) for c in organisation.contacts]
        rows.append({"id": organisation.id, "names": names, "contacts": contacts, **_counts(owed[organisation.id])})

    def data() -> list[dict[str, Any]]:
        # Every organisation lists the ids of the actions it owns ("All" ones included): only
        # a machine format pays for that list, as long as the actions times the organisations.
        led: dict[str, list[int]] = {o.id: [] for o in directory.organisations}
        for action in plan.actions:
            for organisation_id in organisations_of(directory, action):
                led[organisation_id].append(action.id)
        return [
            {
                "id": organisation.id,
                "name": organisation.name,
                "aliases": list(organisation.aliases),
                "contact": organisation.contact,
                "contacts": [
                    {"name": c.name, "email": c.email, "role": c.role, "primary": c.primary}
                    for c in organisation.contacts
                ],
                **_counts(owed[organisation.id]),
                "action_ids": led[organisation.id],
                "source_notes": [note_json(n) for n in organisation.source_notes],
            }
            for organisation in directory.organisations
        ]

    shared = sum(1 for a in plan.actions if ALL_PARTNERS in a.lead)
    footer = [f"{plural(len(rows), 'organisation')}, as of {as_of.isoformat()}."]
    if shared:
        footer.append(f"{plural(shared, 'action')} led by “All” count under every organisation.")
    if not plan.organisations:
        footer.append("The plan has no `organisations` directory: each printed lead is listed as it is printed.")
    return Listing(
        data=data,
        columns=ORGANISATION_COLUMNS if not any(o.contacts for o in directory.organisations) else CONTACT_COLUMNS,
        rows=rows,
        title=f"Lead organisations: {plan.plan.title}",
        footer=footer,
        empty_message="The plan names no lead organisations.",
    )


def _counts(owed: Owed) -> dict[str, Cell]:
    return {"actions": owed.actions, "overdue": owed.overdue, "not_reported": owed.not_reported}
