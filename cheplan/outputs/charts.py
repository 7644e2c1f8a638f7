"""The board report's charts as inline SVG, drawn by matplotlib.

matplotlib is imported only here, inside the functions (it costs a few hundred milliseconds
and only `cheplan report` needs it), with its object API and SVG canvas: no pyplot, no GUI
backend. The output is deterministic (a fixed hash salt per chart, no date) and keeps text as
text (`svg.fonttype: none`), so it prints sharply, can be searched, and reads in a PDF.
Colour never carries meaning alone: every segment carries its rating's letter.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from typing import Any

from cheplan.outputs.board_text import one_line
from cheplan.questions.rag import LETTERS, RATINGS

# Fill, letter colour and hatch per rating: dark fills take white letters; "none" is white
# with a hatch, so it is never mistaken for green even in black and white.
STYLE: dict[str, tuple[str, str, str]] = {
    "red": ("#b3261e", "white", ""),
    "amber": ("#f2a900", "black", ""),
    "green": ("#2e7d32", "white", ""),
    "blue": ("#1f5fa8", "white", ""),
    "grey": ("#9e9e9e", "black", ""),
    "none": ("#ffffff", "black", "///"),
}
WIDTH_INCHES = 7.0
ROW_INCHES = 0.38
_SVG_HEAD = re.compile(r'<svg [^>]*?width="[^"]*" height="[^"]*" viewBox="([^"]*)"[^>]*>')


@dataclass(frozen=True)
class Chart:
    """One chart: an id for the page, its title and description (its text equivalent), the SVG."""

    id: str
    title: str
    desc: str
    svg: str


def _settings(salt: str) -> dict[Any, Any]:
    return {
        "svg.hashsalt": f"cheplan-{salt}",
        "svg.fonttype": "none",
        "text.parse_math": False,  # "$" in plan text is text, not mathematics
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "hatch.color": "#555555",
        "hatch.linewidth": 0.6,
    }


def _label(text: str) -> str:
    return "\n".join(textwrap.wrap(one_line(text), 30, max_lines=2, placeholder="…")) or " "


def _svg(figure: Any, chart_id: str, title: str, desc: str) -> str:
    """The figure as an inline <svg> with <title> and <desc>, sized by CSS, without the XML prolog."""
    from html import escape

    from matplotlib.backends.backend_svg import FigureCanvasSVG

    out = io.StringIO()
    FigureCanvasSVG(figure)  # attaches itself: no pyplot, no GUI backend
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    text = out.getvalue()
    body = re.sub(r"\s*<metadata>.*?</metadata>", "", text[text.index("<svg ") :], count=1, flags=re.DOTALL)
    match = _SVG_HEAD.match(body)
    if match is None:  # pragma: no cover - matplotlib changed its SVG header
        raise ValueError("unexpected SVG header from matplotlib")
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{match.group(1)}" class="chart" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return head + body[match.end() :].rstrip() + "\n"


def rag_bars(chart_id: str, title: str, rows: list[tuple[str, dict[str, int]]]) -> Chart:
    """Horizontal stacked bars, one per row (a theme or a partner), a segment per rating."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    desc = "; ".join(
        f"{one_line(label)}: " + ", ".join(f"{counts[r]} {r}" for r in RATINGS if counts.get(r))
        for label, counts in rows
    )
    with rc_context(_settings(chart_id)):
        figure = Figure(figsize=(WIDTH_INCHES, 1.0 + ROW_INCHES * max(1, len(rows))), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(rows)))[::-1]
        most = max((sum(counts.values()) for _, counts in rows), default=1) or 1
        lefts = [0] * len(rows)
        for rating in RATINGS:
            fill, ink, hatch = STYLE[rating]
            widths = [counts.get(rating, 0) for _, counts in rows]
            bars = axes.barh(
                positions, widths, left=lefts, color=fill, edgecolor="#333333", linewidth=0.6, hatch=hatch, label=rating
            )
            for bar, width in zip(bars, widths, strict=True):
                if width:
                    wide = width / most > 0.06
                    text = f"{LETTERS[rating]} {width}" if wide else LETTERS[rating]
                    axes.text(
                        bar.get_x() + width / 2, bar.get_y() + bar.get_height() / 2, text,
                        ha="center", va="center", color=ink, fontsize=8, fontweight="bold",
                    )  # fmt: skip
            lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
        axes.set_yticks(positions, [_label(label) for label, _ in rows])
        axes.set_xlabel("actions")
        axes.set_xlim(0, most)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        figure.legend(
            [f"{LETTERS[r]} {r}" for r in RATINGS], ncols=len(RATINGS), loc="outside upper left",
            frameon=False, fontsize=8,
        )  # fmt: skip
        return Chart(chart_id, title, desc, _svg(figure, chart_id, title, desc))


def coverage_bars(chart_id: str, title: str, rows: list[tuple[str, int, int]]) -> Chart:
    """Horizontal bars per section: recommendations covered (solid) and not covered (hatched)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    desc = "; ".join(f"{one_line(label)}: {covered} of {total} covered" for label, covered, total in rows)
    with rc_context(_settings(chart_id)):
        figure = Figure(figsize=(WIDTH_INCHES, 1.0 + ROW_INCHES * max(1, len(rows))), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(rows)))[::-1]
        covered = [c for _, c, _ in rows]
        missing = [t - c for _, c, t in rows]
        axes.barh(positions, covered, color="#1f5fa8", edgecolor="#333333", linewidth=0.6, label="covered")
        axes.barh(
            positions, missing, left=covered, color="#ffffff", edgecolor="#333333", linewidth=0.6, hatch="///",
            label="not covered",
        )  # fmt: skip
        for position, (_, done, total) in zip(positions, rows, strict=True):
            axes.text(total + 0.1, position, f"{done} of {total}", va="center", fontsize=8)
        axes.set_yticks(positions, [_label(label) for label, _, _ in rows])
        axes.set_xlabel("recommendations")
        axes.set_xlim(0, max((t for _, _, t in rows), default=1) * 1.2 + 1)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        figure.legend(loc="outside upper left", ncols=2, frameon=False, fontsize=8)
        return Chart(chart_id, title, desc, _svg(figure, chart_id, title, desc))
