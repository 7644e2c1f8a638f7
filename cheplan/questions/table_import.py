"""A plan from the table a council already has: every value verbatim, every guess marked.

`import_table` turns the rows of a table (see `cheplan.loading.tables`) into plan data: themes
printed once over several rows apply to the rows below, months and references are read, leads
split and grouped into a proposed directory, and action numbers kept (a number printed twice
gets the next free one, with a source note). What cannot be read is a problem at its cell;
what a person should check is listed in `needs_human`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cheplan.loading.tables import Table, TableCell
from cheplan.questions.import_columns import Mapping, is_header_repeat
from cheplan.questions.import_values import may_join_two, month_of, parse_references, split_leads
from cheplan.questions.lead_groups import group_leads, grouping_note

Data = dict[str, Any]


@dataclass
class ImportResult:
    actions: list[Data] = field(default_factory=list)
    themes: list[Data] = field(default_factory=list)
    organisations: list[Data] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    cited: dict[str, list[str]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)
    needs_human: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold().encode("ascii", "ignore").decode())) or "item"


def split_theme(cell: TableCell) -> tuple[str, str]:
    """A theme cell's title and description: its first line, its bold start, or its words in capitals."""
    text = cell.text
    first, _, rest = text.partition("\n")
    if rest.strip():
        return first.strip(), " ".join(rest.split())
    if cell.bold and cell.bold != text and text.startswith(cell.bold):
        return cell.bold, text[len(cell.bold) :].strip()
    words = text.split(" ")
    title: list[str] = []
    for word in words:
        if not (word.isupper() or (not any(c.isalpha() for c in word) and title)):
            break
        title.append(word)
    if title and len(title) < len(words):
        return " ".join(title).strip(), " ".join(words[len(title) :]).strip()
    return text.strip(), ""


def _cell(row: list[TableCell], mapping: Mapping, name: str) -> TableCell | None:
    index = mapping.columns.get(name)
    return row[index] if index is not None and index < len(row) else None


def _text(row: list[TableCell], mapping: Mapping, name: str) -> str:
    cell = _cell(row, mapping, name)
    return cell.text if cell else ""


class _Builder:
    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.result = ImportResult()
        self.theme_ids: dict[str, str] = {}
        self.theme: str | None = None
        self.leads: list[str] = []

    def problem(self, cell: TableCell | None, message: str) -> None:
        self.result.problems.append((cell.where if cell else "", message))

    def take_theme(self, row: list[TableCell]) -> None:
        cell = _cell(row, self.mapping, "theme")
        if cell is None or not cell.text:
            return
        title, description = split_theme(cell)
        key = title.casefold()
        if key not in self.theme_ids:
            theme_id = slug(title)
            while theme_id in self.theme_ids.values():
                theme_id += "-2"
            self.theme_ids[key] = theme_id
            theme: Data = {"id": theme_id, "title": title}
            if description:
                theme["description"] = description
            self.result.themes.append(theme)
        self.theme = self.theme_ids[key]

    def month(self, row: list[TableCell], name: str, action: Data) -> None:
        cell = _cell(row, self.mapping, name)
        month = month_of(cell.value if cell and cell.value is not None else (cell.text if cell else ""))
        if month is None:
            shown = repr(cell.text) if cell and cell.text else "blank"
            self.problem(
                cell, f"{name} month {shown} is not a month; write it as Apr-20, April 2020, 04/2020 or 2020-04"
            )
            return
        action[name] = month

    def references(self, row: list[TableCell], action: Data) -> None:
        cell = _cell(row, self.mapping, "recommendations")
        if cell is None or not cell.text:
            return
        action["recommendations_printed"] = cell.text
        parsed = parse_references(cell.text)
        action["recommendations"] = list(dict.fromkeys(parsed.references))
        for reference in action["recommendations"]:
            code, _, _ = reference.partition("-")
            if code not in self.result.sources:
                self.result.sources.append(code)
            self.result.cited.setdefault(code, []).append(reference)
        for text in parsed.unreadable:
            action.setdefault("source_notes", []).append(
                {"field": "recommendations", "printed": text, "note": "cheplan could not read this as references."}
            )
            self.result.needs_human.append(
                f"{cell.where}: references {text!r} could not be read (kept in a source note)"
            )

    def leads_of(self, row: list[TableCell], action: Data) -> None:
        cell = _cell(row, self.mapping, "lead")
        leads = split_leads(cell.text) if cell else []
        if not leads:
            self.problem(cell, "no lead organisation is printed")
            return
        action["lead_printed"] = cell.text if cell else ""
        action["lead"] = leads
        self.leads.extend(leads)
        for lead in leads:
            if may_join_two(lead) and cell is not None:
                self.result.needs_human.append(
                    f"{cell.where}: lead {lead!r} may name two partners joined by 'and'; split it if so"
                )


def _action(builder: _Builder, row: list[TableCell]) -> Data | None:
    mapping = builder.mapping
    text = _text(row, mapping, "action")
    if not text:
        return None
    action: Data = {"id": None, "theme": builder.theme, "action": text}
    outcomes = _text(row, mapping, "outcomes")
    action["outcomes"] = outcomes
    if not outcomes:
        builder.problem(_cell(row, mapping, "outcomes") or row[0], "no outcomes are printed for this action")
    builder.leads_of(row, action)
    builder.month(row, "start", action)
    builder.month(row, "end", action)
    builder.references(row, action)
    if builder.theme is None:
        builder.problem(row[0], "this action comes before any theme; map a theme column with --columns theme=LETTER")
    action["status"] = "not_reported"
    action["_id_cell"] = _cell(row, mapping, "id")
    return action


def _number(builder: _Builder, actions: list[Data]) -> None:
    printed: dict[int, TableCell] = {}
    for action in actions:
        cell = action["_id_cell"]
        if cell is not None and cell.text:
            try:
                number = int(float(cell.text)) if re.fullmatch(r"\d+(\.0)?", cell.text) else None
            except ValueError:
                number = None
            if number is None or number < 1:
                builder.problem(cell, f"action number {cell.text!r} is not a whole number")
            action["_printed"] = number
            if number:
                printed.setdefault(number, cell)
    taken: set[int] = set()
    previous = 0
    for action in actions:
        number = action.pop("_printed", None)
        cell = action.pop("_id_cell")
        if number is None or number in taken:
            chosen = previous + 1
            while chosen in printed or chosen in taken:
                chosen += 1
            if number is not None and cell is not None:
                note = f"The action number {number} is printed a second time; numbered {chosen}, the next free number."
                action.setdefault("source_notes", []).insert(
                    0, {"field": "id", "printed": cell.text, "corrected": str(chosen), "note": note}
                )
                builder.result.needs_human.append(
                    f"{cell.where}: action number {number} printed twice; numbered {chosen}"
                )
            number = chosen
        action["id"] = number
        taken.add(number)
        previous = number


def import_table(table: Table, mapping: Mapping) -> ImportResult:
    """The plan's themes, actions and proposed directory from `table`, read with `mapping`."""
    builder = _Builder(mapping)
    start = 0 if mapping.header_row is None else mapping.header_row + 1
    actions: list[Data] = []
    builder.result.formulas = [
        cell.where
        for row in table.rows
        for index in mapping.columns.values()
        if index < len(row)
        for cell in [row[index]]
        if cell.formula
    ]
    if builder.result.formulas:
        return builder.result
    for row in table.rows[start:]:
        if not any(cell.text for cell in row) or is_header_repeat(row, mapping):
            continue
        builder.take_theme(row)
        action = _action(builder, row)
        if action is not None:
            actions.append(action)
    _number(builder, actions)
    builder.result.actions = [
        {key: value for key, value in action.items() if value is not None or key == "theme"} for action in actions
    ]
    for group in group_leads(builder.leads):
        organisation: Data = {"id": "", "name": group.name}
        if group.aliases:
            organisation["aliases"] = group.aliases
            organisation["source_notes"] = [grouping_note(alias, group.name) for alias in group.aliases]
            builder.result.needs_human.append(
                f"organisation {group.name!r}: {', '.join(repr(a) for a in group.aliases)} grouped with it by"
                " similarity; confirm each (confirmed: true) or split them"
            )
        builder.result.organisations.append(organisation)
    ids: set[str] = set()
    for organisation in builder.result.organisations:
        organisation["id"] = slug(organisation["name"])
        while organisation["id"] in ids:
            organisation["id"] += "-2"
        ids.add(organisation["id"])
    return builder.result
