"""What a reader of the board pack sees, checked in headless Chromium: the pages of the printed
PDF as words with their boxes (`pdftotext -bbox`), and the layout on a 1280 px screen."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from tests.conftest import require_client

# The report's @page margins (report.html.j2), in points: a word outside them is clipped or cut.
MM = 72 / 25.4
MARGINS = {"top": 14 * MM, "right": 12 * MM, "bottom": 16 * MM, "left": 12 * MM}
SLACK = 1.5  # points: glyph boxes may overhang their line by a hair


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class Pages:
    width: float
    height: float
    words: list[Word]

    @property
    def count(self) -> int:
        return max((w.page for w in self.words), default=0)

    def text(self, page: int) -> str:
        return " ".join(w.text for w in self.words if w.page == page)

    def outside_the_printable_area(self) -> list[Word]:
        left, right = MARGINS["left"] - SLACK, self.width - MARGINS["right"] + SLACK
        top, bottom = MARGINS["top"] - SLACK, self.height - MARGINS["bottom"] + SLACK
        return [w for w in self.words if w.x_min < left or w.x_max > right or w.y_min < top or w.y_max > bottom]


def chromium(*arguments: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    program = require_client("chromium")
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.glob('chromium-profile-*')))}"
    command = [
        program, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *arguments,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)


def printed(page: Path, tmp_path: Path) -> Pages:
    """`page` printed to A4 by Chromium, read back word by word with each word's box."""
    pdf = tmp_path / f"{page.stem}.pdf"
    chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.resolve().as_uri(), tmp_path=tmp_path)
    pdftotext = require_client("pdftotext")
    boxes = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True)
    words: list[Word] = []
    width = height = 0.0
    number = 0
    for line in boxes.stdout.splitlines():
        if found := re.search(r'<page width="([\d.]+)" height="([\d.]+)">', line):
            width, height, number = float(found[1]), float(found[2]), number + 1
        elif found := re.search(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*)</word>', line
        ):
            x_min, y_min, x_max, y_max = (float(found[i]) for i in range(1, 5))
            words.append(Word(number, unescape(found[5]), x_min, y_min, x_max, y_max))
    return Pages(width, height, words)


# Run in a copy of the page (the report itself allows no script): every element whose content is
# wider than its box on a 1280 px wide window, and the page's own width.
_PROBE = """<script>
addEventListener("load", () => {
  const wide = [...document.querySelectorAll("body *")].filter(e => !e.closest("svg")
    && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1);
  document.body.setAttribute("data-overflow", wide.map(e => e.tagName + ":" + e.textContent.slice(0, 40)).join("|"));
  document.body.setAttribute("data-width", String(document.documentElement.scrollWidth));
});
</script>"""


def screen_overflow(page: Path, tmp_path: Path) -> tuple[int, str]:
    """The page's width and the elements overflowing their box, at 1280 px."""
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    probe = tmp_path / f"{page.stem}-probe.html"
    probe.write_text(html.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    done = chromium("--window-size=1280,900", "--dump-dom", probe.resolve().as_uri(), tmp_path=tmp_path)
    width = re.search(r'data-width="(\d+)"', done.stdout)
    overflow = re.search(r'data-overflow="([^"]*)"', done.stdout)
    assert width is not None, done.stdout[-2000:]
    assert overflow is not None, done.stdout[-2000:]
    return int(width[1]), unescape(overflow[1])


def words_of(page: Path) -> set[str]:
    """Every word the page shows: its body's text, without what is not drawn (styles, the
    charts' titles and descriptions, which their tables repeat)."""
    html = page.read_text(encoding="utf-8").split("<body>", 1)[1]
    html = re.sub(r"<(title|desc|style)\b[^>]*>.*?</\1>", " ", html, flags=re.DOTALL)
    html = re.sub(r"<wbr>", "", html)
    return set(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def missing_words(page: Path, pages: Pages) -> list[str]:
    """The words of `page` that the printed pages do not hold: cut off at a page edge. Lines
    may break inside a long word, so the printed text is compared without whitespace."""
    squeezed = "".join(w.text for w in pages.words)
    return sorted(word for word in words_of(page) if word not in squeezed)
