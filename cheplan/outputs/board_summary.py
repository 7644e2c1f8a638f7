"""The board pack's words: its heading, page 1's one-sentence position, and each row's reason.

Shared by the HTML and the Markdown report, so both say the same thing. Everything here is
plain text; the templates escape it. Nothing here tells the reader to run a command: the pack
is read by a board, not by the officer who makes it.
"""

from __future__ import annotations

from cheplan.domain.model import Action, ProgressEntry
from cheplan.domain.words import plural
from cheplan.questions.board import Board, RatedAction

# Page 1 shows this many exceptions, one line each; the rest are in section 3.
TOP_EXCEPTIONS = 5
KINDS = {"proposal": "Proposed new end", "ask": "Support asked", "escalation": "Escalation"}


def heading(board: Board) -> str:
    window = board.window
    meeting = f" for its meeting of {window.meeting}" if window.meeting else ""
    return (
        f"Highlight report for the {board.board}{meeting}: the position as of {window.as_of.isoformat()},"
        f" changes since the meeting of {window.since.isoformat()} (events of that day were in its pack),"
        f" and what falls due up to {window.until.isoformat()}."
    )


def summary_sentence(board: Board) -> str:
    """The overall position in one generated sentence."""
    movement = board.movement
    now, then = movement.now, movement.then
    since = board.window.since.isoformat()
    asked = len(board.needed)
    return (
        f"Of {plural(len(board.rated), 'action')}, {now['red']} {'is' if now['red'] == 1 else 'are'} red and"
        f" {now['amber']} amber (against {then['red']} and {then['amber']} on {since});"
        f" {len(board.completed)} completed since then, {plural(len(board.exceptions), 'exception')} need"
        f" the board's attention, and {plural(asked, 'decision')} {'is' if asked == 1 else 'are'}"
        " asked for."
    )


def why(item: RatedAction) -> str:
    """The reason in words: the rating's reasons, and a red of the last meeting it no longer is."""
    reasons = list(item.rating.reasons)
    if item.then.rating == "red" and item.rating.rating != "red":
        reasons.append("red at the last meeting")
    return "; ".join(reasons)


def reporter(names: dict[str, str], action: Action, entry: ProgressEntry) -> str:
    """Whose entry it is: its organisation's name, else who it says reported it."""
    if entry.organisation:
        return names.get(entry.organisation, entry.organisation)
    return entry.by or ""


def extras(entry: ProgressEntry) -> list[tuple[str, str]]:
    """What an entry records beside its note, labelled for the appendix."""
    decision = None
    if entry.decision:
        subject = f"ask {entry.ask}" if entry.ask is not None else "proposed end"
        decision = f"{entry.decision} ({subject}{f', meeting of {entry.meeting}' if entry.meeting else ''})"
    found = [
        ("Board decision", decision),
        ("Revised end", entry.revised_end),
        ("Proposed end", entry.proposed_end),
        ("Risks", entry.risks),
        ("Support asked", entry.support_asked),
        ("Evidence", entry.evidence),
    ]
    return [(label, value) for label, value in found if value]


def top_exceptions(board: Board) -> list[RatedAction]:
    return board.exceptions[:TOP_EXCEPTIONS]
