"""`cheplan diff` as text, Markdown or JSON: what an edit changes, in plain words.

Plan text (and the file name) is shown, never obeyed: in text each line is escaped, and in
Markdown every piece of plan text is escaped and kept on one line.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from cheplan.domain.safe_text import visible
from cheplan.outputs.markdown_format import markdown_code, markdown_line, markdown_text
from cheplan.questions.diff import PlanDiff, RawActions, SourceCoverage

SNIPPET_LENGTH = 70


class DiffReport(NamedTuple):
    """What every format renders: the change, the plan's actions on each side (for their text),
    and what was compared."""

    change: PlanDiff
    old: RawActions
    new: RawActions
    plan_name: str
    base: str


def render_json(report: DiffReport) -> str:
    document = {"plan": report.plan_name, "base": report.base, **report.change.to_json()}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def headline(change: PlanDiff) -> str:
    """E.g. "1 action removed, 2 changed." Only what happened is counted."""
    counts = [
        (number, verb)
        for number, verb in (
            (len(change.added), "added"),
            (len(change.removed), "removed"),
            (len(change.changed), "changed"),
        )
        if number
    ]
    if not counts:
        return "no action added, removed or changed."
    parts = [f"{number} {verb}" for number, verb in counts]
    first_number, first_verb = counts[0]
    parts[0] = f"{first_number} action{'s' if first_number != 1 else ''} {first_verb}"
    return ", ".join(parts) + "."


def snippet(actions: RawActions, action_id: int, limit: int | None = SNIPPET_LENGTH) -> str:
    """The action's text on one line, cut at `limit` characters (Markdown passes None: papers need it whole)."""
    text = actions.by_id[action_id].get("action")
    if not isinstance(text, str):
        return ""
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def coverage_text(coverage: SourceCoverage) -> str:
    before = f"{coverage.covered_before} of {coverage.total}"
    after = f"{coverage.covered_after} of {coverage.total}"
    if not coverage.changed:
        return f"{coverage.source}: {after} covered (unchanged)"
    return f"{coverage.source}: {before} → {after} covered ({coverage_changes(coverage)})"


def coverage_changes(coverage: SourceCoverage) -> str:
    parts = []
    if coverage.no_longer_covered:
        parts.append(f"{', '.join(coverage.no_longer_covered)} no longer covered")
    if coverage.newly_covered:
        parts.append(f"{', '.join(coverage.newly_covered)} now covered")
    return "; ".join(parts) or "unchanged"


def render_text(report: DiffReport) -> str:
    change, old, new, name, base = report
    lines = [f"{name} compared with {base}: {headline(change)}"]
    if change.added:
        lines += ["", "Added:", *(f"  action {i}: {snippet(new, i)}".rstrip() for i in change.added)]
    if change.removed:
        lines += ["", "Removed:", *(f"  action {i}: {snippet(old, i)}".rstrip() for i in change.removed)]
    if change.changed:
        lines += ["", "Changed:"]
        for action in change.changed:
            lines += [f"  action {action.id}:", *(f"    {sentence}" for sentence in action.summary)]
    if change.coverage:
        lines += ["", "Recommendation coverage (cited by an action that is not dropped):"]
        lines += [f"  {coverage_text(c)}" for c in change.coverage]
    # Plan text (and the file name) is shown, never obeyed: one line each, controls escaped.
    return "".join(visible(line) + "\n" for line in lines)


def _listed(actions: RawActions, ids: list[int]) -> list[str]:
    return [f"- Action {i}: {markdown_text(snippet(actions, i, None))}".rstrip() for i in ids]


def render_markdown(report: DiffReport) -> str:
    """Every piece of plan text (and the file name and revision) escaped, on one line, whole."""
    change, old, new, name, base = report
    heading = f"### Plan changes: {markdown_code(name)} against {markdown_code(base)}"
    lines = [heading, "", markdown_line(headline(change).capitalize())]
    if change.added:
        lines += ["", "**Added**", "", *_listed(new, change.added)]
    if change.removed:
        lines += ["", "**Removed**", "", *_listed(old, change.removed)]
    if change.changed:
        lines += ["", "**Changed**", ""]
        for action in change.changed:
            lines += [f"- Action {action.id}", *(f"  - {markdown_text(sentence)}" for sentence in action.summary)]
    if change.coverage:
        lines += ["", "**Recommendation coverage** (cited by an action that is not dropped)", ""]
        lines += ["| Source | Before | After | Change |", "|---|---|---|---|"]
        for c in change.coverage:
            before, after = f"{c.covered_before} of {c.total}", f"{c.covered_after} of {c.total}"
            lines.append(f"| {markdown_text(c.source)} | {before} | {after} | {markdown_text(coverage_changes(c))} |")
    return "\n".join(lines) + "\n"
