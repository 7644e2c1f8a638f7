"""Reports for listing actions, one action in full, and the recorded source corrections."""

from __future__ import annotations

from datetime import date
from typing import Any

from cheplan.domain.leads import ALL_PARTNERS
from cheplan.domain.model import Action, Plan, ProgressEntry
from cheplan.domain.months import human_month
from cheplan.domain.register import Register
from cheplan.domain.source_note import SourceNote
from cheplan.domain.vocabulary import STATUS_LABELS, status_label
from cheplan.outputs.listing import Cell, Column, Listing
from cheplan.questions.actions import theme_titles
from cheplan.questions.organisations import Directory, directory_of, organisations_of
from cheplan.questions.slips import end_cell, end_json


def action_json(
    action: Action,
    directory: Directory | None = None,
    as_of: date | None = None,
    stale_days: int | None = None,
    since: date | None = None,
) -> dict[str, Any]:
    """The JSON contract for one action (other tools parse this: keep it stable).

    `end` stays the approved baseline; `effective_end` is the agreed revision in force. With the
    plan's directory, `organisations` lists the ids of the organisations that own the action;
    with `as_of`, `rag` is its RAG rating on that date (stale after `stale_days`, if given), and
    with `since` too, `rag_then` its rating on that day (the last meeting).
    """
    organisations = {} if directory is None else {"organisations": organisations_of(directory, action)}
    data = {
        "id": action.id,
        "theme": action.theme,
        "action": action.action,
        "outcomes": action.outcomes,
        "lead": list(action.lead),
        **organisations,
        "start": action.start,
        "end": action.end,
        **end_json(action, as_of),
        "recommendations": list(action.recommendations),
        # As the record stood on `as_of` (an entry dated later was not yet on record then).
        "status": _status(action, as_of),
        "last_update": _last_update(action, as_of),
        "lead_printed": action.lead_printed,
        "recommendations_printed": action.recommendations_printed,
        "progress": [progress_json(entry) for entry in action.progress],
        "source_notes": [note_json(n) for n in action.source_notes],
    }
    if as_of is not None:
        from cheplan.outputs.rag_listings import rag_json
        from cheplan.questions.rag import rate

        data["rag"] = rag_json(rate(action, as_of, stale_days=stale_days))
        if since is not None:
            data["rag_then"] = rag_json(rate(action, since, stale_days=stale_days))
    return data


def _status(action: Action, as_of: date | None) -> str:
    return action.current_status if as_of is None else action.status_on(as_of)


def _last_update(action: Action, as_of: date | None) -> str | None:
    if as_of is None:
        return action.last_update
    entry = action.progress_on(as_of)
    return entry.date if entry else None


def progress_json(entry: ProgressEntry) -> dict[str, Any]:
    """One progress entry as every JSON output gives it."""
    return {
        "date": entry.date,
        "status": entry.status,
        "note": entry.note,
        "by": entry.by,
        "revised_end": entry.revised_end,
        "rag": entry.rag,
        "organisation": entry.organisation,
        "risks": entry.risks,
        "support_asked": entry.support_asked,
        "evidence": entry.evidence,
        "proposed_end": entry.proposed_end,
    }


def note_json(note: SourceNote) -> dict[str, Any]:
    return {"field": note.field, "printed": note.printed, "corrected": note.corrected, "note": note.note}


ACTION_COLUMNS = [
    Column("id", "ID", justify="right", no_wrap=True),
    Column("action", "Action", max_chars=80, ratio=3, min_width=20),
    Column("lead", "Lead", ratio=2, min_width=14),
    Column("start", "Start", no_wrap=True),
    # Wraps only when it carries a slip ("2020-12 → 2021-06 (+6 months, agreed …)").
    Column("end", "End", min_width=7, max_width=18),
    Column("status", "Status", min_width=8, human=status_label),
]


def actions_listing(
    plan: Plan,
    actions: list[Action],
    as_of: date | None = None,
    stale_days: int | None = None,
    since: date | None = None,
) -> Listing:
    rows: list[dict[str, Cell]] = []
    titles = theme_titles(plan)
    for action in actions:
        rows.append(
            {
                "theme": titles.get(action.theme, action.theme),
                "id": action.id,
                "action": action.action,
                "lead": list(action.lead),
                "start": action.start,
                "end": end_cell(action),
                "status": _status(action, as_of),
            }
        )
    total = len(plan.actions)
    directory = directory_of(plan)
    first = actions[:1]
    keys = tuple(action_json(first[0], directory, as_of, stale_days, since)) if first else ()
    return Listing(
        data=lambda: [action_json(a, directory, as_of, stale_days, since) for a in actions],
        # JSON is written a slice of actions at a time: 100,000 actions' objects never whole in memory.
        records=(keys, lambda: (tuple(action_json(a, directory, as_of, stale_days, since).values()) for a in actions)),
        columns=ACTION_COLUMNS,
        rows=rows,
        title=plan.plan.title,
        group_by="theme",
        footer=[f"{len(actions)} of {total} actions shown."],
        empty_message="No action matches.",
    )


def action_detail_listing(plan: Plan, action: Action, registers: list[Register], as_of: date | None = None,
                          stale_days: int | None = None, since: date | None = None) -> Listing:  # fmt: skip
    """One action in full, with the text of each recommendation it implements."""
    from cheplan.domain.refs import LVRU_THEMES, source_of

    theme = plan.theme(action.theme)
    by_source = {r.source.code: r for r in reversed(registers)}  # the first register loaded wins
    recommendations: list[dict[str, Any]] = []
    for reference in action.recommendations:
        source = source_of(reference)
        register = by_source.get(source)
        found = register.get(reference) if register else None
        # Say why there is no text: an unknown id in a loaded register is a mistake; no register is not.
        missing = None
        if register is not None and found is None:
            missing = f"not in the {source} register"
        elif register is None:
            theme_code, _, number = reference.removeprefix(f"{source}-").partition("-")
            gloss = LVRU_THEMES.get(theme_code) if source == "LVRU" else None
            where = f"Knife Crime Strategy theme “{gloss}”{f', item {number}' if number else ''}; " if gloss else ""
            missing = f"{where}no {source} register loaded"
        recommendations.append(
            {
                "id": reference,
                "source": source,
                "title": found.title if found else None,
                "section": register.section_title(found.section) if register and found else None,
                "text": found.text if found else None,
                "missing": missing,
            }
        )
    directory = directory_of(plan)
    data = action_json(action, directory, as_of, stale_days, since) | {"recommendation_texts": recommendations}
    rows: list[dict[str, Cell]] = [
        {"field": "Theme", "value": theme.title if theme else action.theme},
        {"field": "Action", "value": action.action},
        {"field": "Outcomes", "value": action.outcomes},
        {"field": "Lead", "value": list(action.lead)},
        {"field": "Organisations", "value": _organisation_names(directory, action)},
        {"field": "Start", "value": action.start},
        {"field": "End", "value": end_cell(action)},
        {"field": "Status", "value": STATUS_LABELS[_status(action, as_of)]},
        {"field": "Last update", "value": _last_update(action, as_of) or "none reported"},
    ]
    groups = by_reporter(directory, action.progress)
    for reporter, entries in groups:
        whose = f"[{reporter}] " if len(groups) > 1 or entries[0].organisation else ""
        for entry in entries:  # each organisation's entries together: whose they are reads first
            rows.append({"field": f"Progress {entry.date}", "value": f"{whose}{_entry_text(entry)}"})
    for item in recommendations:
        text = f"{item['title']}: {item['text']}" if item["text"] else f"({item['missing']})"
        rows.append({"field": item["id"], "value": text})
    for note in action.source_notes:
        rows.append({"field": f"Source note ({note.field})", "value": _note_text(note)})
    return Listing(
        data=data,
        columns=[Column("field", "Field", no_wrap=True), Column("value", "Value", ratio=1)],
        rows=rows,
        title=f"Action {action.id}",
    )


def _organisation_names(directory: Directory, action: Action) -> str:
    if ALL_PARTNERS in action.lead:
        return "All partners"
    return "; ".join(directory.name_of(i) for i in organisations_of(directory, action))


def by_reporter(directory: Directory, progress: list[ProgressEntry]) -> list[tuple[str, list[ProgressEntry]]]:
    """The entries grouped by whose they are, the coordinator's first, then in directory order."""
    groups: dict[str, list[ProgressEntry]] = {}
    for entry in progress:
        groups.setdefault(entry.organisation or "", []).append(entry)
    order = sorted(groups, key=lambda key: (key != "", directory.position.get(key, len(directory.position)), key))
    return [(directory.name_of(key) if key else "coordinator", groups[key]) for key in order]


def _entry_text(entry: ProgressEntry) -> str:
    by = f" ({entry.by})" if entry.by else ""
    revised = f", end revised to {human_month(entry.revised_end)}" if entry.revised_end else ""
    proposed = f", proposes end {human_month(entry.proposed_end)}" if entry.proposed_end else ""
    rag = f", rated {entry.rag}" if entry.rag else ""
    said = [(label, text) for label, text in (("risks", entry.risks), ("asks the board", entry.support_asked),
            ("evidence", entry.evidence)) if text]  # fmt: skip
    extra = "".join(f"; {label}: {text}" for label, text in said)
    return f"{STATUS_LABELS[entry.status]}{revised}{proposed}{rag}{by}: {entry.note}{extra}"


def _note_text(note: SourceNote) -> str:
    corrected = f" → {note.corrected!r}" if note.corrected else " (kept as printed)"
    return f"printed {note.printed!r}{corrected}. {note.note}"


def corrections_listing(plan: Plan, registers: list[Register]) -> Listing:
    """Every place the data records that the source printed something wrong or doubtful."""
    entries: list[tuple[str, SourceNote]] = []
    for source in plan.plan.recommendation_key:
        entries += [(f"key {source.code}", n) for n in source.source_notes]
    for theme in plan.themes:
        entries += [(f"theme {theme.id}", n) for n in theme.source_notes]
    for action in plan.actions:
        entries += [(f"action {action.id}", n) for n in action.source_notes]
    for organisation in plan.organisations:
        entries += [(f"organisation {organisation.id}", n) for n in organisation.source_notes]
    for register in registers:
        for recommendation in register.recommendations:
            entries += [(recommendation.id, n) for n in recommendation.source_notes]
    data = [{"where": where} | note_json(note) for where, note in entries]
    rows: list[dict[str, Cell]] = [
        {
            "where": where,
            "field": note.field,
            "printed": note.printed,
            "corrected": note.corrected,
            "note": note.note,
        }
        for where, note in entries
    ]
    return Listing(
        data=data,
        columns=[
            Column("where", "Where", ratio=2, min_width=9),
            Column("field", "Field", ratio=2, min_width=6),
            Column("printed", "Printed", max_chars=40, ratio=3, min_width=10),
            Column("corrected", "Corrected", max_chars=40, ratio=3, min_width=10, when_empty="(kept as printed)"),
            Column("note", "Note", ratio=5, min_width=16),
        ],
        rows=rows,
        title="Source corrections and queries",
        footer=[f"{len(entries)} notes: the data keeps what the source printed; corrections are recorded here."],
        empty_message="No source notes recorded.",
    )
