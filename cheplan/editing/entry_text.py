"""A progress entry as YAML text, laid out like the entries already in the plan.

Dates are quoted (as every date in the plan is), statuses and ratings are plain words, and
free text is written plain where that reads back as the same text in YAML 1.1 (what cheplan
reads), else quoted. A long one-line note folds (`>-`) at FOLD_WIDTH, like the text
transcribed from the source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cheplan.domain.model import ProgressEntry

FOLD_WIDTH = 100


def entry_text(entry: ProgressEntry, dash_column: int, keys_column: int) -> str:
    """`- date: ...` and the entry's other keys, one per line, each line ending in a newline."""
    lines = [f'date: "{entry.date}"', f"status: {entry.status}"]
    if entry.note:  # an empty note is no note: the entry reads back the same without the key
        lines.append(_key_and_text("note", entry.note, keys_column, fold=True))
    if entry.by is not None:
        lines.append(_key_and_text("by", entry.by, keys_column, fold=False))
    if entry.revised_end is not None:
        lines.append(f'revised_end: "{entry.revised_end}"')
    if entry.rag is not None:
        lines.append(f"rag: {entry.rag}")
    if entry.organisation is not None:
        lines.append(f"organisation: {entry.organisation}")
    for key, text in (("risks", entry.risks), ("support_asked", entry.support_asked), ("evidence", entry.evidence)):
        if text is not None:
            lines.append(_key_and_text(key, text, keys_column, fold=True))
    if entry.proposed_end is not None:
        lines.append(f'proposed_end: "{entry.proposed_end}"')
    if entry.decision is not None:
        lines.append(f"decision: {entry.decision}")
    if entry.ask is not None:
        lines.append(f"ask: {entry.ask}")
    if entry.meeting is not None:
        lines.append(f'meeting: "{entry.meeting}"')
    first = " " * dash_column + "-" + " " * (keys_column - dash_column - 1) + lines[0]
    return "".join(line + "\n" for line in [first, *(" " * keys_column + line for line in lines[1:])])


def _key_and_text(key: str, text: str, column: int, *, fold: bool) -> str:
    api = _Scalars()
    if fold and column + len(key) + 2 + len(text) > FOLD_WIDTH and api.can_fold(text):
        indent = " " * (column + 2)
        lines = _fold(text, FOLD_WIDTH - len(indent))
        return f"{key}: >-" + "".join(f"\n{indent}{line}" for line in lines)
    return f"{key}: {api.scalar(text)}"


class _Scalars:
    """PyYAML's own judgement of how a text can be written, so that it reads back the same."""

    def __init__(self) -> None:
        import io

        import yaml

        self.yaml = yaml
        self.emitter: Any = yaml.emitter.Emitter(io.StringIO(), allow_unicode=True)
        self.resolver: Any = yaml.resolver.Resolver()

    def _reads_as_text(self, text: str) -> bool:
        tag = self.resolver.resolve(self.yaml.ScalarNode, text, (True, False))
        return bool(tag == "tag:yaml.org,2002:str")

    def scalar(self, text: str) -> str:
        analysis = self.emitter.analyze_scalar(text)
        if text and not analysis.multiline and analysis.allow_block_plain and self._reads_as_text(text):
            return text
        if not analysis.multiline and analysis.allow_single_quoted:
            return "'" + text.replace("'", "''") + "'"
        dumped: str = self.yaml.safe_dump(text, default_style='"', width=1 << 30, allow_unicode=True)
        return dumped.rstrip("\n")

    def can_fold(self, text: str) -> bool:
        """One line of single-spaced printable text: folding it loses nothing."""
        analysis = self.emitter.analyze_scalar(text)
        return bool(text == " ".join(text.split()) and analysis.allow_block and not analysis.multiline)


def _fold(text: str, width: int) -> list[str]:
    """`text` broken at spaces so that no line exceeds `width` (where a word allows)."""
    lines: list[str] = []
    line_start = 0
    last_space = -1
    for index, char in enumerate(text):
        if char == " ":
            if index - line_start > width and last_space > line_start:
                lines.append(text[line_start:last_space])
                line_start = last_space + 1
            last_space = index
    if len(text) - line_start > width and last_space > line_start:
        lines.append(text[line_start:last_space])
        line_start = last_space + 1
    lines.append(text[line_start:])
    return lines
