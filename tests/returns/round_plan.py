"""A copy of the shipped plan with illustrative contacts added (never in data/: the sources name none)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import SHIPPED_PLAN

ORGANISATION = re.compile(r"  - id: ([a-z0-9-]+)\n    name: [^\n]*\n")


def contacts_yaml(organisation_id: str) -> str:
    return (
        "    contacts:\n"
        f"      - name: Returns officer ({organisation_id})\n"
        f"        email: returns@{organisation_id}.example.org\n"
        "        role: Illustrative contact\n"
        "        primary: true\n"
        f"      - name: Deputy ({organisation_id})\n"
        f"        email: deputy@{organisation_id}.example.org\n"
    )


def plan_with_contacts(folder: Path, *, name_of: dict[str, str] | None = None) -> Path:
    """The shipped plan with two contacts per organisation. `name_of` renames organisations that
    have no aliases (cheb, ...), keeping the printed name as an alias so every lead still resolves."""
    text = SHIPPED_PLAN.read_text(encoding="utf-8")
    head, organisations = text.split("\norganisations:\n", 1)

    def add(match: re.Match[str]) -> str:
        organisation_id = match.group(1)
        block = match.group(0)
        if name_of and organisation_id in name_of:
            printed = block.split("name: ", 1)[1]
            block = f"  - id: {organisation_id}\n    name: {name_of[organisation_id]}\n    aliases:\n      - {printed}"
        return block + contacts_yaml(organisation_id)

    path = folder / "plan.yaml"
    path.write_text(head + "\norganisations:\n" + ORGANISATION.sub(add, organisations), encoding="utf-8")
    return path
