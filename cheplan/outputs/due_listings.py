"""Reports for `cheplan overdue` and `cheplan due`: what is late, by how much, and what is next.

JSON is one object per action whatever the view (`lead` lists all its printed leads,
`matched_leads` those the `--lead` filter matched, `organisations` the ids of the organisations
that own it). People's views (table, markdown, CSV) have one row per action, or with `--by-lead`
one row per (action, organisation), grouped per organisation: an action led by "All" is listed
under every one. The End column shows a slip beside the approved end month.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from cheplan.domain.leads import ALL_PARTNERS
from cheplan.domain.model import Action, Plan
from cheplan.domain.vocabulary import status_label
from cheplan.domain.words import plural
from cheplan.outputs.listing import Cell, Column, Listing
from cheplan.questions.actions import DueRow
from cheplan.questions.organisations import Directory, directory_of, organisations_of
from cheplan.questions.slips import END_KEYS, end_cell, end_json

# The key rows are grouped under with --by-lead; CSV writes it as the first column.
LEAD_GROUP = "group_lead"
# What the "Updated" column says when no progress has been reported.
NEVER_UPDATED = "never"


@dataclass(frozen=True)
class Scope:
    """What was asked: the date, how many actions the filters let through, and whether any filter applied."""

    as_of: date
    considered: int
    in_plan: int
    filtered: bool
    stale_days: int | None = None  # the RAG rating's, when not its default
    since: date | None = None  # the last meeting: JSON rows then carry `rag_then`, the rating on that day

    def of_actions(self) -> str:
        if self.filtered:
            return f"of {plural(self.considered, 'matching action')} ({self.in_plan} in the plan)"
        return f"of {plural(self.in_plan, 'action')} in the plan"


# The keys of one action's JSON object, in order; the last is "days_overdue" or "days_left".
ROW_KEYS = (
    "id",
    "action",
    "theme",
    "lead",
    "matched_leads",
    "organisations",
    # `end` stays the approved baseline; `due` follows the effective end.
    "end",
    *END_KEYS,
    "due",
    "status",
    "last_update",
    "rag",
)


class _RowValues:
    """The values of one action's JSON object, in ROW_KEYS order, made for row after row.

    Most parts of a row repeat across rows: the organisations of the same printed leads, and for an
    action without progress its slip fields and its RAG rating, which then depend only on its
    end month and status. Each is worked out once per distinct value; rows share those parts
    (read-only), which also lets the JSON writer encode each shared part once.
    """

    def __init__(self, directory: Directory, days_key: str, stale_days: int | None = None) -> None:
        self.directory = directory
        self.stale_days = stale_days
        self.overdue = days_key == "days_overdue"
        # printed leads -> (the leads, their organisation ids)
        self.organisations: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
        self.matched: dict[tuple[str, ...], list[str]] = {}
        self.plain: dict[tuple[str, str, date], tuple[tuple[object, ...], dict[str, Any]]] = {}

    def __call__(self, row: DueRow) -> tuple[Any, ...]:
        action = row.action
        leads = tuple(action.lead)
        resolved = self.organisations.get(leads)
        if resolved is None:
            resolved = self.organisations[leads] = (list(leads), organisations_of(self.directory, action))
        printed, organisation_ids = resolved
        matched = self.matched.get(row.matched_leads)
        if matched is None:
            matched = self.matched[row.matched_leads] = list(row.matched_leads)
        if action.progress:
            ends, rag = tuple(end_json(action, row.as_of).values()), _rag(action, row.as_of, self.stale_days)
        else:
            # Without progress, the slip and the rating follow from the end month and the
            # status field alone (questions.rag.facts_of).
            key = (action.end, action.status, row.as_of)
            found = self.plain.get(key)
            if found is None:
                rated = _rag(action, row.as_of, self.stale_days)
                found = self.plain[key] = (tuple(end_json(action, row.as_of).values()), rated)
            ends, rag = found
        return (
            action.id,
            action.action,
            action.theme,
            printed,
            matched,
            organisation_ids,
            action.end,
            *ends,
            row.due.isoformat(),
            row.status,
            row.last_update,
            rag,
            row.days_overdue if self.overdue else row.days_left,
        )


def _records(
    rows: list[DueRow], directory: Directory, days_key: str, stale_days: int | None = None, since: date | None = None
) -> tuple[tuple[str, ...], Iterator[tuple[Any, ...]]]:
    values = map(_RowValues(directory, days_key, stale_days), rows)
    if since is None:
        return (*ROW_KEYS, days_key), values
    then = ((*row, _rag(due.action, since, stale_days)) for row, due in zip(values, rows, strict=True))
    return (*ROW_KEYS, days_key, "rag_then"), then


def _objects(
    rows: list[DueRow], directory: Directory, days_key: str, stale_days: int | None = None, since: date | None = None
) -> list[dict[str, Any]]:
    keys, values = _records(rows, directory, days_key, stale_days, since)
    return [dict(zip(keys, row, strict=True)) for row in values]


def _rag(action: Action, as_of: date, stale_days: int | None = None) -> dict[str, Any]:
    # Imported here: only the JSON rates actions, and the table is the everyday view.
    from cheplan.outputs.rag_listings import rag_json
    from cheplan.questions.rag import rate

    return rag_json(rate(action, as_of, stale_days=stale_days))


def overdue_json(
    rows: list[DueRow], directory: Directory, stale_days: int | None = None, since: date | None = None
) -> list[dict[str, Any]]:
    """The JSON contract of `cheplan overdue` (other tools parse this: keep it stable)."""
    return _objects(rows, directory, "days_overdue", stale_days, since)


def due_json(
    rows: list[DueRow], directory: Directory, stale_days: int | None = None, since: date | None = None
) -> list[dict[str, Any]]:
    """The JSON contract of `cheplan due` (other tools parse this: keep it stable)."""
    return _objects(rows, directory, "days_left", stale_days, since)


def _columns(days_key: str, *, by_lead: bool) -> list[Column]:
    # Grouped per lead, the group heading names the lead: the column shows who shares the action.
    lead = (
        Column("co_leads", "With", ratio=3, min_width=13, when_empty="-")
        if by_lead
        else Column("lead", "Lead", ratio=3, min_width=13)
    )
    return [
        Column("id", "ID", justify="right", no_wrap=True),
        Column("action", "Action", max_chars=50, ratio=4, min_width=16),
        lead,
        # Wraps only when it carries a slip ("2020-12 → 2021-06 (+6 months, agreed …)").
        Column("end", "End", min_width=7, max_width=18),
        Column(days_key, "Days", justify="right", no_wrap=True),
        Column("status", "Status", min_width=8, max_width=8, human=status_label),
        Column("last_update", "Updated", no_wrap=True, when_empty=NEVER_UPDATED),
    ]


def _co_leads(directory: Directory, row: DueRow) -> dict[str, list[str]]:
    """For each organisation the row is listed under, who shares the action with it."""
    if ALL_PARTNERS in row.action.lead:
        return {organisation_id: ["All partners"] for organisation_id in row.organisations}
    names = {i: directory.name_of(i) for i in organisations_of(directory, row.action)}
    return {o: [name for i, name in names.items() if i != o] for o in row.organisations}


def _table_rows(rows: list[DueRow], days_key: str, directory: Directory, *, by_lead: bool) -> list[dict[str, Cell]]:
    table: list[dict[str, Cell]] = []
    for row in rows:
        action = row.action
        cells: dict[str, Cell] = {
            "id": action.id,
            "action": action.action,
            "lead": list(action.lead),
            "end": end_cell(action, row.as_of),
            days_key: row.days_overdue if days_key == "days_overdue" else row.days_left,
            "status": row.status,
            "last_update": row.last_update,
        }
        if not by_lead:
            table.append(cells)
            continue
        for organisation_id, others in _co_leads(directory, row).items():
            table.append(cells | {LEAD_GROUP: directory.name_of(organisation_id), "co_leads": others})
    if by_lead:
        # Groups in alphabetical order; inside a group the rows keep their order (a stable sort).
        table.sort(key=lambda cells: str(cells[LEAD_GROUP]).casefold())
    return table


def overdue_listing(
    plan: Plan, rows: list[DueRow], scope: Scope, *, by_lead: bool = False, for_people: bool = True
) -> Listing:
    """`for_people=False` (JSON) leaves out the table's rows, which only people's formats show."""
    directory = directory_of(plan)
    footer = [f"{len(rows)} overdue {scope.of_actions()}, as of {scope.as_of.isoformat()}."]
    if by_lead:
        chased = {organisation for row in rows for organisation in row.organisations}
        footer.append(f"{plural(len(chased), 'lead organisation')} to chase.")
    return Listing(
        data=lambda: overdue_json(rows, directory, scope.stale_days, scope.since),
        records=(
            _records([], directory, "days_overdue", since=scope.since)[0],
            lambda: _records(rows, directory, "days_overdue", scope.stale_days, scope.since)[1],
        ),
        columns=_columns("days_overdue", by_lead=by_lead),
        rows=_table_rows(rows, "days_overdue", directory, by_lead=by_lead) if for_people else [],
        title=f"Overdue as of {scope.as_of.isoformat()}: {plan.plan.title}",
        group_by=LEAD_GROUP if by_lead else None,
        footer=footer,
        empty_message=f"Nothing is overdue as of {scope.as_of.isoformat()}.",
    )


def due_listing(plan: Plan, rows: list[DueRow], scope: Scope, until: date, *, for_people: bool = True) -> Listing:
    """`for_people=False` (JSON) leaves out the table's rows, which only people's formats show."""
    window = f"between {scope.as_of.isoformat()} and {until.isoformat()}"
    directory = directory_of(plan)
    return Listing(
        data=lambda: due_json(rows, directory, scope.stale_days, scope.since),
        records=(
            _records([], directory, "days_left", since=scope.since)[0],
            lambda: _records(rows, directory, "days_left", scope.stale_days, scope.since)[1],
        ),
        columns=_columns("days_left", by_lead=False),
        rows=_table_rows(rows, "days_left", directory, by_lead=False) if for_people else [],
        title=f"Due by {until.isoformat()}: {plan.plan.title}",
        footer=[f"{len(rows)} due by {until.isoformat()} {scope.of_actions()}, as of {scope.as_of.isoformat()}."],
        empty_message=f"Nothing unfinished falls due {window}.",
    )
