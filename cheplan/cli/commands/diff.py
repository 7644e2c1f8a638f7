"""`cheplan diff [BASE]`: what an edit changes, in plain words, against the plan at a git revision."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cheplan.cli.commands import EXIT_OK
from cheplan.domain.errors import InvalidPlanError
from cheplan.domain.safe_text import visible
from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
from cheplan.outputs.markdown_format import markdown_code, markdown_line, markdown_text
from cheplan.questions.diff import PlanDiff, RawActions, SourceCoverage, raw_actions
from cheplan.questions.history import compare, load_versions

if TYPE_CHECKING:
    from cheplan.domain.register import Register

SNIPPET_LENGTH = 70


def run(*, base: str, plan: Path | None, registers: list[Path] | None, format_name: str) -> int:
    plan_path = resolve_plan(plan)
    versions = load_versions(plan_path, base)
    if versions.new.data is None:
        raise InvalidPlanError(versions.new.problems)
    old_data = versions.old.data
    if old_data is None or not isinstance(old_data, dict) or not isinstance(old_data.get("actions"), list):
        reason = "cannot be read as YAML" if old_data is None else "has no list of actions"
        print(f"cheplan: note: {versions.old.name} {reason}, so every action shows as added", file=sys.stderr)
    change = compare(versions, _registers(resolve_registers(registers)))
    old, new = raw_actions(versions.old.data), raw_actions(versions.new.data)
    name = display_name(plan_path)
    if format_name == "json":
        text = json.dumps({"plan": name, "base": base, **change.to_json()}, indent=2, ensure_ascii=False) + "\n"
    elif format_name == "markdown":
        text = render_markdown(change, old, new, name, base)
    else:
        text = render_text(change, old, new, name, base)
    sys.stdout.write(text)
    sys.stdout.flush()
    return EXIT_OK


def _registers(paths: list[Path]) -> list[Register]:
    """The registers that validate; coverage is only counted against those."""
    from cheplan.domain.register import Register
    from cheplan.loading.load import Source
    from cheplan.loading.safe_yaml import parse_yaml
    from cheplan.loading.schema import validate_document

    found = []
    for path in paths:
        source = Source.read(path)
        doc = parse_yaml(source.text, source.name)
        register = validate_document(doc, Register)[0] if doc.data is not None else None
        if register is None:
            print(f"cheplan: note: {source.name} is not a valid register; coverage leaves it out", file=sys.stderr)
        else:
            found.append(register)
    return found


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


def render_text(change: PlanDiff, old: RawActions, new: RawActions, name: str, base: str) -> str:
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


def render_markdown(change: PlanDiff, old: RawActions, new: RawActions, name: str, base: str) -> str:
    """Every piece of plan text (and the file name and revision) escaped, on one line, whole."""
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
