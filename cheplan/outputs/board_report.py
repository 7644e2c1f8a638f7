"""`cheplan report`: the board's highlight report as one self-contained HTML file, or Markdown.

The content is :class:`cheplan.questions.board.Board`; this module only presents it. HTML goes
through Jinja2 with autoescaping (every piece of plan text is escaped), with CSS inline and
charts as inline SVG: no script, no network, prints to A4. Markdown goes through the same
kind of template, where every value is escaped as literal Markdown. Both are deterministic:
the same plan and dates give the same bytes. Jinja2 and matplotlib are imported only here,
inside the functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from importlib import resources
from itertools import islice
from operator import attrgetter
from typing import Any

# Only the report imports this module; markupsafe comes with Jinja2 and is light.
from markupsafe import Markup, escape

from cheplan.domain.model import Action, ProgressEntry
from cheplan.domain.vocabulary import status_label
from cheplan.domain.words import plural
from cheplan.outputs.board_summary import KINDS, extras, heading, reporter, summary_sentence, top_exceptions, why
from cheplan.outputs.board_text import BRIEF_CHARS, first_sentence, md, shown
from cheplan.outputs.charts import STYLE, Chart, coverage_bars, rag_bars
from cheplan.questions.board import Board, RatedAction
from cheplan.questions.organisations import ALL_PARTNERS
from cheplan.questions.rag import LETTERS, RATINGS, RULES

_TEMPLATES = {"html": "report.html.j2", "markdown": "report.md.j2"}

# Page 1 is what a board member reads: the first decisions in full, the rest set out after it;
# the ids that moved, up to a line or two of them, then how many more.
PAGE_ONE_DECISIONS = 4
PAGE_ONE_IDS = 24


def short_rule(when: str) -> str:
    """A rule's meaning in a few words: "at risk: the effective end ..." -> "at risk"."""
    return when.split(":", 1)[0]


def leads(item: RatedAction) -> str:
    """The organisations leading an action ("All partners" for "All"), else the leads as printed."""
    if ALL_PARTNERS in item.action.lead:
        return "All partners"
    return "; ".join(item.organisation_names or item.action.lead)


# A run of 30 or more characters without a space (a URL, a path), compiled once: breakable is
# called for every value the report prints (over three million at 100,000 actions).
_LONG_RUN = re.compile(r"(\S{30,})")


def breakable(text: str) -> Markup:
    """`text` escaped, with a break opportunity (<wbr>) every 20 characters of a run of 30 or
    more without a space (a URL, a path): a table column can then narrow to fit the page."""
    if len(text) < 30 or _LONG_RUN.search(text) is None:  # almost every value: escaping is all there is
        return escape(text)
    pieces = [
        Markup("<wbr>").join(escape(part[start : start + 20]) for start in range(0, len(part), 20))
        if index % 2
        else escape(part)
        for index, part in enumerate(_LONG_RUN.split(text))
    ]
    return Markup("").join(pieces)


# What needs more than escaping: a character that is not printable ASCII (shown() judges it), or
# one that HTML escapes. Most of the report's values (ids, dates, ratings, plain words) have
# neither, and pass as they are: html_value runs for every value (over two million at 100,000
# actions), so its common case is two C-level checks.
_NEEDS_ESCAPE = re.compile(r"[&<>\"']")


def html_value(value: Any) -> str:
    """A value as the HTML report prints it: nothing for None, markup as it is, anything else
    with its hidden characters shown, escaped, with break opportunities."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    text = value if value.__class__ is str else str(value)
    if not (text.isascii() and text.isprintable()):
        text = shown(text)  # printable ASCII has nothing hidden; tab, LF and CR stay as they are
    if len(text) >= 30 and _LONG_RUN.search(text) is not None:
        return breakable(text)
    return text if _NEEDS_ESCAPE.search(text) is None else escape(text)


@cache
def rag_badge(rating: str) -> Markup:
    """A rating as a badge: its letter in a box of its colour, then its name."""
    name = html_value(rating)
    return Markup(f'<span class="rag rag-{name}" title="{name}">{html_value(LETTERS[rating])}</span> {name}')


def moved_badges(item: RatedAction) -> Markup:
    """An action's rating at the last meeting, then now."""
    return Markup(f"{rag_badge(item.then.rating)} → {rag_badge(item.rating.rating)}")


def end_dates(item: RatedAction) -> Markup:
    """An action's effective end, and its baseline end when a revised end moved it."""
    shown_end = html_value(item.effective_end)
    if item.effective_end != item.action.end:
        return Markup(f"{shown_end} (baseline {html_value(item.action.end)})")
    return Markup(shown_end)


def status_on(action: Action, day: date) -> str:
    return action.status_on(day)


def log_until(action: Action, as_of: str) -> list[ProgressEntry]:
    """The action's progress entries dated up to `as_of`, oldest first (in the order written on a tie)."""
    return sorted((entry for entry in action.progress if entry.date <= as_of), key=attrgetter("date"))


def charts(board: Board) -> dict[str, Chart]:
    """The three charts, each with a title and a description in words."""
    section_rows = [(f"{s.source}: {s.title}", s.covered, s.total) for s in board.trace.by_section()]
    return {
        "theme": rag_bars("rag-by-theme", "RAG ratings by theme", [(t.label, t.counts) for t in board.by_theme]),
        "organisation": rag_bars(
            "rag-by-partner", "RAG ratings by partner", [(t.label, t.counts) for t in board.by_organisation]
        ),
        "coverage": coverage_bars("coverage-by-section", "Recommendations covered by section", section_rows),
    }


def _context(board: Board, appendix: bool) -> dict[str, Any]:
    movement = board.movement
    uncovered: dict[tuple[str, str], list[str]] = {}
    for item in board.trace.recommendations:
        if not item.covered:
            key = (item.source, item.recommendation.section)
            uncovered.setdefault(key, []).append(f"{item.recommendation.id} {item.recommendation.title}")
    return {
        "b": board,
        "w": board.window,
        "as_of": board.window.as_of.isoformat(),
        "rules": RULES,
        "headline_rules": sorted(RULES, key=lambda rule: RATINGS.index(rule.rating)),
        "ratings": RATINGS,
        "letters": LETTERS,
        "rated": {item.action.id: item for item in board.rated},
        "missing": [p for p in board.organisations if p not in board.returned],
        "sections": board.trace.by_section(),
        "uncovered": {
            (s.source, s.section): uncovered.get((s.source, s.section), []) for s in board.trace.by_section()
        },
        "leads": leads,
        "appendix": appendix,
        "fills": STYLE,
        "heading": heading(board),
        "summary": summary_sentence(board),
        "mv": movement,
        "moves": [
            ("Improved", movement.improved),
            ("Worsened", movement.worsened),
            ("New to red", movement.new_red),
        ],
        "kinds": KINDS,
        "top": top_exceptions(board),
        "short": first_sentence,
        "brief": lambda text: first_sentence(text, BRIEF_CHARS),
        "why": why,
        "who": lambda action, entry: reporter(board.names, action, entry),
        "extras": extras,
        "days": lambda count: plural(count, "day"),
        "page_one": PAGE_ONE_DECISIONS,
        "page_one_ids": PAGE_ONE_IDS,
    }


def _template_source(name: str) -> str:
    """A template's text, with each `{% include "NAME" %}` of a part replaced by that part's text:
    parts live in their own files, and each format is still one template, compiled (and kept) once."""
    import re

    def read(file_name: str) -> str:
        return resources.files("cheplan.outputs").joinpath("templates", file_name).read_text("utf-8")

    # The include's line goes with it: a part that renders nothing leaves no blank line.
    part = r'\{% include "([a-z_]+\.(?:html|md)\.j2)" %\}\n'
    return re.sub(part, lambda found: read(found.group(1)).removesuffix("\n"), read(name))


def _environment(format_name: str) -> Any:
    from jinja2 import Environment, FunctionLoader, StrictUndefined
    from markupsafe import Markup

    from cheplan.outputs.template_cache import bytecode_cache

    # Loaded by name, so that the compiled template is kept between runs (template_cache.py).
    where = {"loader": FunctionLoader(_template_source), "bytecode_cache": bytecode_cache()}

    if format_name == "html":
        # Every value is escaped once, here (autoescape off: it would escape each again, and
        # check each for markup, millions of times at 100,000 actions); markup made in Python
        # (the charts, the rating badges) passes as it is. The badges are Python, not template
        # macros: a macro call costs Jinja a context and a Markup for each of its values.
        environment = Environment(autoescape=False, finalize=html_value, undefined=StrictUndefined, **where)
        # Where markup is not allowed (the <title>): escaped, without break opportunities.
        environment.filters["plain"] = lambda value: Markup.escape(shown(value))
        environment.filters.update(rag=rag_badge, moved=moved_badges, end=end_dates)
    else:

        def finalize(value: Any) -> Any:
            return "" if value is None else str(value) if isinstance(value, Markup) else md(value)

        environment = Environment(
            autoescape=False, finalize=finalize, undefined=StrictUndefined, keep_trailing_newline=True, **where
        )
        environment.globals["badge"] = lambda rating: Markup(f"**{LETTERS[rating]} {rating}**")
    environment.filters["status"] = status_label
    environment.filters["short_rule"] = short_rule
    return environment


def render_report(board: Board, format_name: str, *, appendix: bool = True) -> str:
    """The report as text in `format_name` ("html" or "markdown"); `appendix`: end with every
    action in full."""
    return "".join(report_pieces(board, format_name, appendix=appendix))


# Jinja yields the report in millions of small strings; they are handed on joined this many at
# a time, so the report is never whole in memory as a list of them (at 100,000 actions the
# HTML is 130 MB, and the list of its small strings took several times that).
_PIECE_STRINGS = 20_000


def report_pieces(board: Board, format_name: str, *, appendix: bool = True) -> Iterator[str]:
    """The report in pieces, in order, as it is made; it ends with exactly one newline."""
    from cheplan.outputs.outcomes_report import outcome_context

    context = _context(board, appendix) | outcome_context(board, format_name)
    if format_name == "html":
        context["charts"] = {
            name: Chart(chart.id, chart.title, chart.desc, Markup(chart.svg)) for name, chart in charts(board).items()
        }
    environment = _environment(format_name)
    # What the template asks of each action, as filters: Jinja calls a filter directly, where a
    # call of a function from the context goes through Context.call's checks every time.
    names = ("brief", "short", "leads", "why", "days", "extras", "who")
    environment.filters.update({name: context[name] for name in names}, status_on=status_on, log_until=log_until)
    smalls = environment.get_template(_TEMPLATES[format_name]).generate(context)
    held = ""  # newlines at the end of the last piece: written only if more text follows
    while True:
        joined = "".join(islice(smalls, _PIECE_STRINGS))
        if not joined:
            break
        piece = held + joined
        body = piece.rstrip("\n")
        held = piece[len(body) :]
        if body:
            yield body
    yield "\n"


def render_html(board: Board, *, appendix: bool = True) -> str:
    return render_report(board, "html", appendix=appendix)


def render_markdown(board: Board, *, appendix: bool = True) -> str:
    return render_report(board, "markdown", appendix=appendix)
