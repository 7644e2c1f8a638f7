"""The board report's charts as inline SVG, drawn by matplotlib.

matplotlib is imported only here, inside the functions (it costs a few hundred milliseconds
and only `cheplan report` needs it), with its object API and SVG canvas: no pyplot, no GUI
backend. The output is deterministic (a fixed hash salt per chart, no date) and keeps text as
text (`svg.fonttype: none`), so it prints sharply, can be searched, and reads in a PDF.
Colour never carries meaning alone: every segment carries its rating's letter.
"""

from __future__ import annotations

import io
import os
import re
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cheplan.domain.errors import UnreadableInputError
from cheplan.outputs.board_text import one_line
from cheplan.questions.rag import LETTERS, RATINGS

# Fill, letter colour and hatch per rating, for charts and the report's badges alike. Each fill
# has its own lightness (relative luminance about 0.05, 0.16, 0.31, 0.48, 0.68 and 1), so the
# ratings stay apart in greyscale print and for colour-blind readers, letters aside; dark fills
# take white letters; "none" is white with a hatch, never mistaken for green in black and white.
STYLE: dict[str, tuple[str, str, str]] = {
    "red": ("#7a1712", "white", ""),
    "amber": ("#ffd24d", "black", ""),
    "green": ("#52a85a", "black", ""),
    "blue": ("#3470c0", "white", ""),
    "grey": ("#b8b8b8", "black", ""),
    "none": ("#ffffff", "black", "///"),
}
WIDTH_INCHES = 7.0
ROW_INCHES = 0.38
# Fixed margins: room for two lines of a 24-character label, the legend above, the axis below.
LEFT_INCHES = 2.1
TOP_INCHES = 0.4
BOTTOM_INCHES = 0.55
# Between a row's name and the axis: matplotlib's tick length and label pad, 3.5 points each.
LABEL_GAP_POINTS = 7.0
# The key above each chart: a slot per entry wide enough for "A amber" or "not covered".
LEGEND_TOP_INCHES = 0.1
LEGEND_LEFT_INCHES = 0.1
LEGEND_SLOT_INCHES = 1.05
SWATCH_INCHES = (0.25, 0.1)
# What OpenBLAS (numpy's linear algebra) reads for its thread count, in its order: a user's
# choice in any of them is kept.
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")
_SVG_HEAD = re.compile(r'<svg [^>]*?width="[^"]*" height="[^"]*" viewBox="([^"]*)"[^>]*>')


@dataclass(frozen=True)
class Chart:
    """One chart: an id for the page, its title and description (its text equivalent), the SVG."""

    id: str
    title: str
    desc: str
    svg: str


def _load_numpy() -> None:
    """Load numpy (matplotlib's base) with one OpenBLAS thread, unless the user chose a number.

    numpy's wheels start one OpenBLAS thread per CPU as they load: ~45 ms of the report's wall
    clock on 2 CPUs (more with more CPUs), for charts whose arithmetic is 3x3 transforms.
    OpenBLAS reads the variable once, as it loads, so it is put back at once.
    """
    if "numpy" not in sys.modules and not any(name in os.environ for name in _BLAS_THREADS):
        os.environ[_BLAS_THREADS[0]] = "1"
        try:
            import numpy  # noqa: F401
        finally:
            os.environ.pop(_BLAS_THREADS[0], None)


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


@contextmanager
def _style(chart_id: str) -> Iterator[None]:
    """matplotlib's own defaults with cheplan's settings, whatever matplotlibrc is around.

    matplotlib reads a matplotlibrc from the current directory, MPLCONFIGDIR or the user's
    configuration as it loads: without this, running the same report elsewhere could change
    its bytes (line widths, colours, fonts of the charts).
    """
    try:
        _load_numpy()
        from matplotlib import rc_context, rcdefaults, rcParams
    except (UnicodeDecodeError, ValueError, OSError) as exc:
        # matplotlib reads the first matplotlibrc it finds as it loads, and fails on one it cannot.
        raise UnreadableInputError(
            f"the charts' library, matplotlib, could not start: {one_line(str(exc))}; check the"
            " matplotlibrc in this folder, in $MATPLOTLIBRC or in ~/.config/matplotlib"
        ) from None

    with rc_context(), _bundled_fonts():
        rcdefaults()
        rcParams.update(_settings(chart_id))
        yield


# matplotlib's own copy of the charts' font: the same files, so the same metrics, wherever it runs.
_BUNDLED_FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf")
_bundled_entries: list[Any] = []


@contextmanager
def _bundled_fonts() -> Iterator[None]:
    """Text laid out with matplotlib's bundled DejaVu Sans, never a font its cache chose.

    matplotlib picks a font file from a list it caches as `fontlist-*.json` in MPLCONFIGDIR
    (or ~/.cache/matplotlib): a stale or planted list, or the fonts installed on the machine,
    would change the text's metrics, so its layout, so the report's bytes. While the charts
    are drawn, that list holds only the bundled files; it is put back after.
    """
    from matplotlib import font_manager, get_data_path

    manager = font_manager.fontManager
    saved = manager.ttflist, manager.afmlist
    manager.ttflist, manager.afmlist = list(_bundled_entries), []
    try:
        if not _bundled_entries:  # read once a process: a few milliseconds a file
            for name in _BUNDLED_FONTS:
                manager.addfont(os.path.join(get_data_path(), "fonts", "ttf", name))
            _bundled_entries.extend(manager.ttflist)
        _forget_choices(manager)
        yield
    finally:
        manager.ttflist, manager.afmlist = saved
        _forget_choices(manager)


def _forget_choices(manager: Any) -> None:
    """Drop matplotlib's memo of which file each font request got (made from the other list)."""
    cached = getattr(manager, "_findfont_cached", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


def _label(text: str) -> str:
    # The chart's table beside it has the whole label; here it must fit the margin.
    return "\n".join(textwrap.wrap(one_line(text), 24, max_lines=2, placeholder="…")) or " "


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


def _frame(rows: int, labels: list[str], xlabel: str) -> tuple[Any, Any, list[int]]:
    """A figure sized to its rows, with fixed margins (no layout engine: it would draw twice)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator
    from matplotlib.transforms import ScaledTranslation

    height = TOP_INCHES + BOTTOM_INCHES + ROW_INCHES * max(1, rows)
    figure = Figure(figsize=(WIDTH_INCHES, height))
    figure.subplots_adjust(
        left=LEFT_INCHES / WIDTH_INCHES, right=0.97, top=1 - TOP_INCHES / height, bottom=BOTTOM_INCHES / height
    )
    axes = figure.add_subplot()
    positions = list(range(rows))[::-1]
    # The rows' names as texts where tick labels would stand, without the ticks: a tick is five
    # artists to make and lay out (~20 ms over the three charts), for a mark a bar makes anyway.
    axes.set_yticks([])
    beside = axes.get_yaxis_transform() + ScaledTranslation(-LABEL_GAP_POINTS / 72, 0, figure.dpi_scale_trans)
    for position, label in zip(positions, labels, strict=True):
        axes.text(0, position, _label(label), transform=beside, ha="right", va="center_baseline", fontsize=8)
    axes.set_ylim(-0.6, max(rows, 1) - 0.4)
    axes.set_xlabel(xlabel)
    # Round whole numbers (steps of 1, 2, 5, 10...), at most 5 intervals: each tick is five
    # artists to make and lay out, ~20 ms over the three charts at matplotlib's default 9
    # intervals, and every segment carries its own count anyway.
    axes.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10], integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes, positions


def _legend(figure: Any, entries: list[tuple[str, str, str]]) -> None:
    """A key above the chart from (label, fill, hatch): every entry, drawn or not.

    A swatch and a label per entry in fixed slots (the labels are cheplan's own few words),
    rather than matplotlib's Legend, whose box layout measured every text again: ~9 ms a chart.
    """
    from matplotlib.patches import Rectangle

    width, height = figure.get_figwidth(), figure.get_figheight()
    top = 1 - LEGEND_TOP_INCHES / height
    for slot, (label, fill, hatch) in enumerate(entries):
        left = (LEGEND_LEFT_INCHES + slot * LEGEND_SLOT_INCHES) / width
        swatch = Rectangle(
            (left, top - SWATCH_INCHES[1] / height), SWATCH_INCHES[0] / width, SWATCH_INCHES[1] / height,
            transform=figure.transFigure, facecolor=fill, edgecolor="#333333", linewidth=0.6, hatch=hatch,
        )  # fmt: skip
        figure.add_artist(swatch)
        label_left = left + (SWATCH_INCHES[0] + 0.08) / width
        figure.text(label_left, top - SWATCH_INCHES[1] / 2 / height, label, va="center", fontsize=8)


def rag_bars(chart_id: str, title: str, rows: list[tuple[str, dict[str, int]]]) -> Chart:
    """Horizontal stacked bars, one per row (a theme or a partner), a segment per rating."""
    desc = "; ".join(
        f"{one_line(label)}: " + ", ".join(f"{counts[r]} {r}" for r in RATINGS if counts.get(r))
        for label, counts in rows
    )
    with _style(chart_id):
        figure, axes, positions = _frame(len(rows), [label for label, _ in rows], "actions")
        most = max((sum(counts.values()) for _, counts in rows), default=1) or 1
        lefts = [0] * len(rows)
        for rating in RATINGS:
            fill, ink, hatch = STYLE[rating]
            # Only the segments that exist: a zero-width bar still costs a patch to draw.
            drawn = [(i, counts.get(rating, 0)) for i, (_, counts) in enumerate(rows) if counts.get(rating, 0)]
            if drawn:
                axes.barh(
                    [positions[i] for i, _ in drawn], [w for _, w in drawn], left=[lefts[i] for i, _ in drawn],
                    color=fill, edgecolor="#333333", linewidth=0.6, hatch=hatch,
                )  # fmt: skip
            for i, width in drawn:
                text = f"{LETTERS[rating]} {width}" if width / most > 0.06 else LETTERS[rating]
                axes.text(
                    lefts[i] + width / 2, positions[i], text, ha="center", va="center", color=ink, fontsize=8,
                    fontweight="bold",
                )  # fmt: skip
                lefts[i] += width
        axes.set_xlim(0, most)
        _legend(figure, [(f"{LETTERS[r]} {r}", STYLE[r][0], STYLE[r][2]) for r in RATINGS])
        return Chart(chart_id, title, desc, _svg(figure, chart_id, title, desc))


def coverage_bars(chart_id: str, title: str, rows: list[tuple[str, int, int]]) -> Chart:
    """Horizontal bars per section: recommendations covered (solid) and not covered (hatched)."""
    desc = "; ".join(f"{one_line(label)}: {covered} of {total} covered" for label, covered, total in rows)
    with _style(chart_id):
        figure, axes, positions = _frame(len(rows), [label for label, _, _ in rows], "recommendations")
        covered = [c for _, c, _ in rows]
        missing = [t - c for _, c, t in rows]
        axes.barh(positions, covered, color=STYLE["blue"][0], edgecolor="#333333", linewidth=0.6)
        axes.barh(positions, missing, left=covered, color="#ffffff", edgecolor="#333333", linewidth=0.6, hatch="///")
        for position, (_, done, total) in zip(positions, rows, strict=True):
            axes.text(total + 0.1, position, f"{done} of {total}", va="center", fontsize=8)
        axes.set_xlim(0, max((t for _, _, t in rows), default=1) * 1.2 + 1)
        _legend(figure, [("covered", STYLE["blue"][0], ""), ("not covered", "#ffffff", "///")])
        return Chart(chart_id, title, desc, _svg(figure, chart_id, title, desc))
