"""What `returns import` found, per workbook and per action: in words, or as exact JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass

from cheplan.domain.model import ProgressEntry
from cheplan.domain.safe_text import safe_file_name, visible
from cheplan.domain.vocabulary import STATUS_LABELS
from cheplan.domain.words import plural
from cheplan.outputs.action_listings import progress_json
from cheplan.questions.return_rows import describe
from cheplan.questions.returns import CellProblem, RowReview, WorkbookReview
from cheplan.questions.rounds import RoundReturns


@dataclass(frozen=True)
class ImportSummary:
    plan_name: str
    apply: bool
    force: bool
    written: bool = False  # the plan file was changed
    rounds: tuple[RoundReturns, ...] = ()  # who has returned for the rounds the workbooks belong to


def conflict_problem(review: WorkbookReview, row: RowReview) -> CellProblem:
    on_record = row.on_record
    if row.also_in is not None:
        return CellProblem(
            review.file,
            "Return",
            row.cell,
            f"conflict: action {row.action_id} is also reported in {row.also_in} of this import, with another status;"
            " settle which is right, or use --force to record both as dated entries",
        )
    if on_record is None:  # nothing on record, so the workbook's hidden sheet never had this action as it is
        return CellProblem(
            review.file,
            "Return",
            row.cell,
            f"conflict: action {row.action_id} was not in this workbook when it was exported (or its hidden sheet"
            " was changed); re-export, or use --force to record this one as a dated entry",
        )
    since = f"{on_record.date} ({STATUS_LABELS.get(on_record.status, on_record.status)})"
    return CellProblem(
        review.file,
        "Return",
        row.cell,
        f"conflict: action {row.action_id} has a newer entry in the plan, of {since}, than when this workbook"
        " was exported; check both versions, then re-export or use --force to record this one as a dated entry",
    )


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
    assert row.entry is not None
    if row.outcome == "already_recorded":
        return [f"{head} already on record: {describe(row.entry)}"]
    if row.outcome == "conflict":
        other = _entry_words(row.on_record) if row.on_record else "no entry"
        label = f"{row.also_in}:" if row.also_in else "plan:    "
        return [f"{head} CONFLICT", f"    {label} {other}", f"    workbook: {describe(row.entry)}"]
    forced = " (forced over a newer entry in the plan)" if row.forced else ""
    return [f"{head} {verb}{forced} {describe(row.entry)}"]


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
        if review.plan_changed:
            lines.append("  note: the plan has changed since this workbook was exported")
        lines += [line for row in review.rows for line in _row_lines(row, summary.apply and summary.written)]
    count = sum(1 for review in reviews for row in review.rows if row.outcome == "record")
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
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
