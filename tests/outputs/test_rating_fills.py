"""The rating fills stay apart without colour: in greyscale print and for colour-blind readers."""

from __future__ import annotations

from itertools import combinations

from cheplan.outputs.charts import STYLE
from cheplan.questions.rag import LETTERS, RATINGS
from tests.conftest import RunCli

# Relative luminance (WCAG 2): how light a fill prints in greyscale, 0 black to 1 white.
MIN_LUMINANCE_GAP = 0.1


def luminance(fill: str) -> float:
    channels = [int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: float, other: float) -> float:
    return (max(one, other) + 0.05) / (min(one, other) + 0.05)


def test_every_two_fills_differ_in_lightness() -> None:
    lightness = {rating: luminance(STYLE[rating][0]) for rating in RATINGS}
    for one, other in combinations(RATINGS, 2):
        assert abs(lightness[one] - lightness[other]) >= MIN_LUMINANCE_GAP, (one, other, lightness)


def test_each_letter_reads_on_its_fill() -> None:
    for rating in RATINGS:
        fill, ink, _ = STYLE[rating]
        ink_luminance = 1.0 if ink == "white" else 0.0
        assert contrast(luminance(fill), ink_luminance) >= 4.5, rating
        assert LETTERS[rating]


def test_the_report_uses_the_same_fills(cli: RunCli) -> None:
    page = cli("report", "--as-of", "2020-10-01", "--no-appendix").stdout
    for rating in RATINGS:
        fill, ink, _ = STYLE[rating]
        assert f".rag-{rating} {{ background: {fill}; color: {ink};" in page
