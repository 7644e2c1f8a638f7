"""What `returns import` found, per workbook and per action: in words, or as exact JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass

from cheplan.domain.model import Organisation, ProgressEntry
from cheplan.domain.safe_text import safe_file_name, visible
from cheplan.domain.vocabulary import STATUS_LABELS
from cheplan.domain.words import plural
from cheplan.outputs.action_listings import progress_json
from cheplan.questions.return_round import counts_of
from cheplan.questions.return_rows import describe
from cheplan.questions.returns import CellProblem, RowReview, WorkbookReview
from cheplan.questions.rounds import RoundReturns


@dataclass(frozen=True)
class ImportSummary:
    plan_name: str
    apply: bool
    force: bool
    written: bool = False  # the plan file was changed
    missing: tuple[Organisation, ...] = ()  # organisations that have not returned
    rounds: tuple[RoundReturns, ...] = ()  # who has returned for the rounds the workbooks belong to


def conflict_problem(review: WorkbookReview, row: RowReview, plan_text: str = "") -> CellProblem:
    """The conflict, at the row's cell, saying where the other entry is: a workbook's cell, or the plan's line."""
    on_record = row.on_record
    forcing = f"or use --force {row.action_id} to record this one as a dated entry"
    if row.also_in is not None:
        message = (
            f"conflict: action {row.action_id} is also reported by the same organisation for the same date in"
            f" {row.also_in}, saying something else; settle which is right, {forcing}"
        )
    elif on_record is None:  # nothing on record, so the workbook's hidden sheet never had this action as it is
        message = (
            f"conflict: action {row.action_id} was not in this workbook when it was exported (or its hidden sheet"
            f" was changed); re-export, {forcing}"
        )
    else:
        line = entry_line(plan_text, row.action_id, on_record)
        where = f"the plan (line {line})" if line else "the plan"
        since = f"of {on_record.date} ({STATUS_LABELS.get(on_record.status, on_record.status)}) in {where}"
        why = (
            "a newer entry, by this organisation or the coordinator, than when this workbook was exported"
            if row.stale
            else "another entry by this organisation for the same date"
        )
        message = f"conflict: action {row.action_id} has {why}: {since}; check both versions, then re-export {forcing}"
    return CellProblem(review.file, "Return", row.cell, message)


def entry_line(plan_text: str, action_id: int, entry: ProgressEntry) -> int | None:
    """The 1-based line of `entry`'s date in the plan text, or None when it cannot be told."""
    from cheplan.editing.blocks import find_action

    if not plan_text:
        return None
    try:
        block = find_action(plan_text.replace("\r\n", "\n"), action_id, "plan")
    except Exception:  # noqa: BLE001 - a location is a courtesy; the conflict is reported without it
        return None
    if block is None:
        return None
    lines = block.text.split("\n")
    mark = f'date: "{entry.date}"'
    for index, line in enumerate(lines):
        if mark in line and _belongs(lines[index + 1 : index + 12], entry.organisation):
            return plan_text[: block.start].count("\n") + index + 1
    return None


def _belongs(following: list[str], organisation: str | None) -> bool:
    """Whether the entry whose date line comes before `following` is `organisation`'s."""
    for line in following:
        if line.lstrip().startswith("- "):
            break
        if line.strip().startswith("organisation:"):
            return line.split(":", 1)[1].strip() == organisation
    return organisation is None


def _entry_words(entry: ProgressEntry) -> str:
    words = f"{STATUS_LABELS.get(entry.status, entry.status)} as of {entry.date}"
    if entry.revised_end:
        words += f", revised end {entry.revised_end}"
    if entry.by:
        words += f", by {entry.by}"
    return words + (f': "{entry.note}"' if entry.note else "")


def _row_lines(row: RowReview, apply: bool) -> list[str]:
    verb = "recorded" if apply else "would record"
    head = f"  Action {row.action_id} ({row.cell}):"
    if row.outcome == "nothing_typed":
        return [f"{head} nothing new typed"]
    if row.outcome == "already_recorded" and row.entry is not None:
        return [f"{head} already on record: {describe(row.entry)}"]
    if row.outcome == "conflict":
        other = _entry_words(row.on_record) if row.on_record else "no entry"
        label = f"{row.also_in}:" if row.also_in else "plan:    "
        mine = describe(row.entry) if row.entry else "(the row's problems are listed on stderr)"
        return [f"{head} CONFLICT", f"    {label} {other}", f"    workbook: {mine}"]
    forced = " (forced over a conflicting entry)" if row.forced else ""
    return [f"{head} {verb}{forced} {describe(row.entry)}" if row.entry else f"{head} forced"]


def round_lines(rounds: tuple[RoundReturns, ...]) -> list[str]:
    """Who has returned for each round the workbooks belong to, and who has not yet."""
    lines = []
    for found in rounds:
        if not found.in_plan:
            lines.append(f"Round {found.round_id}: not in the plan; its returns are not recorded against it")
            continue
        lines.append(f"Round {found.round_id}: returned by {', '.join(found.returned)}")
        lines.append(f"  still missing: {', '.join(found.missing) if found.missing else 'none'}")
    return lines


def render_text(reviews: list[WorkbookReview], summary: ImportSummary, problems: list[CellProblem]) -> str:
    """Each workbook's rows and what they would record; the problems themselves go to stderr."""
    lines: list[str] = []
    for review in reviews:
        who = f"{review.organisation_name}, exported {review.exported}" if review.organisation_id else "not read"
        if review.organisation_id and review.round_id:
            who += f", round {review.round_id}"
        lines.append(f"{safe_file_name(review.file)} ({who})")
        lines.append(f"  {_counts_line(review)}")
        if review.plan_changed:
            lines.append("  note: the plan has changed since this workbook was exported")
        lines += [line for row in review.rows for line in _row_lines(row, summary.apply and summary.written)]
    count = sum(1 for review in reviews for row in review.rows if row.outcome == "record")
    if summary.missing:
        names = [f"{o.name} ({o.contact})" if o.contact else o.name for o in summary.missing]
        lines.append(f"Not returned ({len(names)}): {'; '.join(names)}.")
    if problems:
        lines.append(f"Nothing recorded: {plural(len(problems), 'problem')} (listed on stderr).")
    elif summary.apply and summary.written:
        lines.append(f"Recorded {_entries(count)} in {summary.plan_name}.")
    elif count:
        lines.append(f"Would record {_entries(count)} in {summary.plan_name}; run again with --apply to record them.")
    else:
        lines.append(f"Nothing new to record in {summary.plan_name}.")
    lines += round_lines(summary.rounds)
    return "".join(visible(line) + "\n" for line in lines)


def _counts_line(review: WorkbookReview) -> str:
    conflicts = sum(1 for row in review.rows if row.outcome == "conflict")
    counts = counts_of(review, conflicts)
    return (
        f"{review.organisation_name or 'organisation unknown'}: {plural(counts.rows_read, 'row')} read,"
        f" {_entries(counts.to_record)} to record, {plural(counts.proposals, 'proposal')},"
        f" {plural(counts.asks, 'ask')}, {plural(counts.problems, 'problem')}"
    )


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def _proposed_json(entry: ProgressEntry | None) -> dict[str, object] | None:
    if entry is None:
        return None
    return {
        "date": entry.date,
        "status": entry.status,
        "note": entry.note or None,
        "by": entry.by,
        "revised_end": entry.revised_end,
        "organisation": entry.organisation,
        "rag": entry.rag,
        "risks": entry.risks,
        "support_asked": entry.support_asked,
        "evidence": entry.evidence,
        "proposed_end": entry.proposed_end,
    }


def render_json(reviews: list[WorkbookReview], summary: ImportSummary, problems: list[CellProblem]) -> str:
    document = {
        "plan": summary.plan_name,
        "apply": summary.apply,
        "force": summary.force,
        "written": summary.written,
        "workbooks": [
            {
                "file": review.file,
                "organisation": review.organisation_id or None,
                "organisation_name": review.organisation_name or None,
                "exported": review.exported or None,
                "round": review.round_id,
                "plan_changed": review.plan_changed,
                "rows": [
                    {
                        "action": row.action_id,
                        "cell": row.cell,
                        "outcome": row.outcome,
                        "forced": row.forced,
                        "entry": _proposed_json(row.entry),
                        "on_record": progress_json(row.on_record)
                        if row.outcome == "conflict" and row.on_record
                        else None,
                        "also_in": row.also_in,
                    }
                    for row in review.rows
                ],
            }
            for review in reviews
        ],
        "rounds": [
            {
                "round": found.round_id,
                "in_plan": found.in_plan,
                "returned": found.returned,
                "importing": found.importing,
                "missing": found.missing,
            }
            for found in summary.rounds
        ],
        "problems": [
            {"file": p.file, "sheet": p.sheet, "cell": p.cell, "message": p.message, "text": p.as_text()}
            for p in problems
        ],
        "warnings": [
            {"file": w.file, "sheet": w.sheet, "cell": w.cell, "message": w.message, "text": w.as_text()}
            for review in reviews
            for w in review.warnings
        ],
        "not_returned": [{"id": o.id, "name": o.name, "contact": o.contact} for o in summary.missing],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
