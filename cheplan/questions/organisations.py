"""Who owns each action: printed leads resolved to the plan's partner organisations.

The plan prints leads as the source did ("Community Safety", "LBS Community Safety &
Partnerships", ...); the plan's `organisations` directory says which organisation each
printed form means. "All" means every partner: such an action belongs to each of them.
Pure functions over a validated plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cheplan.domain.errors import UsageError
from cheplan.domain.leads import ALL_PARTNERS, name_key
from cheplan.domain.model import Action, Organisation, Plan
from cheplan.domain.words import closest

__all__ = [
    "ALL_PARTNERS",
    "Directory",
    "actions_of",
    "directory_of",
    "find_organisations",
    "matched_organisations",
    "organisations_of",
    "require_one_organisation",
    "require_organisations",
]


@dataclass(frozen=True)
class Directory:
    """The plan's organisations, and every name (id, name, alias; any case) that resolves to one."""

    organisations: tuple[Organisation, ...]
    by_name: dict[str, str]
    # Id -> position in the directory: lookups and ordering stay cheap however many there are.
    position: dict[str, int] = field(default_factory=dict)
    # Printed lead -> what it resolves to: a plan prints the same few leads on thousands of actions.
    resolved: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.position:  # built by hand, without directory_of
            for index, organisation in enumerate(self.organisations):
                self.position.setdefault(organisation.id, index)

    def get(self, organisation_id: str) -> Organisation | None:
        index = self.position.get(organisation_id)
        return None if index is None else self.organisations[index]

    def in_order(self, ids: set[str | None]) -> list[str]:
        """The known ids among `ids`, in directory order."""
        return sorted((i for i in ids if i is not None and i in self.position), key=self.position.__getitem__)

    def resolve(self, printed_lead: str) -> str | None:
        """The id of the organisation a printed lead means, or None when the directory has none."""
        if printed_lead not in self.resolved:
            self.resolved[printed_lead] = self.by_name.get(name_key(printed_lead))
        return self.resolved[printed_lead]

    def name_of(self, organisation_id: str) -> str:
        found = self.get(organisation_id)
        return found.name if found else organisation_id


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "organisation"


def _derived(plan: Plan) -> tuple[Organisation, ...]:
    """One organisation per printed lead. Leads that differ (not only in case or spacing) but
    slug alike ("Полиция" and "警察" are both "organisation") get -2, -3...: else they merge."""
    taken: dict[str, str] = {}  # id -> the name key of the lead that took it
    found = []
    for lead in dict.fromkeys(lead for action in plan.actions for lead in action.lead):
        if lead == ALL_PARTNERS:
            continue
        base = slug = _slug(lead)
        number = 1
        while taken.setdefault(slug, name_key(lead)) != name_key(lead):
            number += 1
            slug = f"{base}-{number}"
        found.append(Organisation(id=slug, name=lead))
    return tuple(found)


def directory_of(plan: Plan) -> Directory:
    """The plan's directory. A plan without one gets one organisation per distinct printed lead,
    so every question still has an owner to group by."""
    organisations = tuple(plan.organisations) or _derived(plan)
    by_name: dict[str, str] = {}
    position: dict[str, int] = {}
    for index, organisation in enumerate(organisations):
        position.setdefault(organisation.id, index)
        for name in (organisation.id, organisation.name, *organisation.aliases):
            by_name.setdefault(name_key(name), organisation.id)
    return Directory(organisations, by_name, position)


def organisations_of(directory: Directory, action: Action) -> list[str]:
    """The ids of the organisations that own `action`, in directory order; "All" means every one.

    A printed lead that resolves to nothing owns nothing here (`validate` reports it).
    """
    if any(lead == ALL_PARTNERS for lead in action.lead):
        return [organisation.id for organisation in directory.organisations]
    return directory.in_order({directory.resolve(lead) for lead in action.lead})


def matched_organisations(directory: Directory, printed_leads: list[str] | tuple[str, ...]) -> list[str]:
    """The ids the given printed leads (some of one action's) resolve to, in directory order."""
    if ALL_PARTNERS in printed_leads:
        return [organisation.id for organisation in directory.organisations]
    return directory.in_order({directory.resolve(lead) for lead in printed_leads})


def _names(organisation: Organisation) -> tuple[str, ...]:
    return (organisation.id, organisation.name, *organisation.aliases)


def find_organisations(directory: Directory, text: str) -> list[Organisation]:
    """Organisations whose id, name or an alias is `text` (any case); else those containing it."""
    exact = directory.resolve(text)
    if exact is not None:
        found = directory.get(exact)
        return [found] if found else []
    needle = name_key(text)
    return [o for o in directory.organisations if any(needle in name_key(name) for name in _names(o))]


def require_organisations(directory: Directory, text: str) -> list[Organisation]:
    """`--lead TEXT`: the organisations it names, or a usage error with a "did you mean".

    The one resolver of `--lead`, so every command words a miss alike. An empty or blank TEXT
    (an unset shell variable) is refused: as a part of every name it would pick everyone.
    """
    if not text.strip():
        raise UsageError(
            "--lead is empty: give an organisation's id, name or alias (`cheplan organisations` lists them)"
        )
    found = find_organisations(directory, text)
    if found:
        return found
    every_name = [name for o in directory.organisations for name in _names(o)]
    match = closest(text, every_name, cutoff=0.5)
    if match is not None:
        hint = f"did you mean {match!r}?"
    else:
        hint = "`cheplan organisations` lists every organisation and its aliases"
    raise UsageError(f"--lead {text!r} matches no lead organisation ({hint})")


def require_one_organisation(directory: Directory, text: str) -> Organisation:
    """`--lead TEXT` where one organisation is meant (a workbook, a feed): the one it names."""
    found = require_organisations(directory, text)
    if len(found) == 1:
        return found[0]
    ids = ", ".join(o.id for o in found)
    raise UsageError(f"--lead {text!r} matches {len(found)} organisations ({ids}); give one id")


def actions_of(plan: Plan, directory: Directory, organisation_id: str) -> list[Action]:
    """The actions `organisation_id` owns, including those led by "All", in plan order."""
    return [action for action in plan.actions if organisation_id in organisations_of(directory, action)]


def actions_by_organisation(plan: Plan, directory: Directory) -> dict[str, list[Action]]:
    """Each organisation's actions ("All" included), in plan order, in one pass over the plan:
    asking `actions_of` for each organisation in turn would pass over it once each."""
    found: dict[str, list[Action]] = {organisation.id: [] for organisation in directory.organisations}
    for action in plan.actions:
        for organisation_id in organisations_of(directory, action):
            found.setdefault(organisation_id, []).append(action)
    return found


def actions_of_any(plan: Plan, directory: Directory, organisation_ids: tuple[str, ...]) -> list[Action]:
    """The actions any of `organisation_ids` owns ("All" included), in plan order; every action
    when none is given."""
    if not organisation_ids:
        return list(plan.actions)
    wanted = set(organisation_ids)
    return [action for action in plan.actions if not wanted.isdisjoint(organisations_of(directory, action))]
