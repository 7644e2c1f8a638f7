"""A real client: an exported returns workbook, printed to PDF by LibreOffice, prints its
Return sheet one page wide with every row whole (no row's text over the next one's)."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_PLAN, RunCli, require_client
from tests.returns.workbooks import AS_OF, export

pytestmark = pytest.mark.external

_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.DOTALL)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')

Box = tuple[float, float, float, float, str]


def pages_of(pdf: Path, pdftotext: str) -> list[list[Box]]:
    html = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [
        [(float(a), float(b), float(c), float(d), unescape(word)) for a, b, c, d, word in _WORD.findall(page)]
        for page in _PAGE.findall(html)
    ]


def overlapping(words: list[Box]) -> list[tuple[str, str]]:
    """Pairs of words whose boxes cross (shrunk by a point: neighbours may touch)."""
    found = []
    ordered = sorted(words, key=lambda box: box[1])
    for index, (x0, _top, x1, y1, word) in enumerate(ordered):
        for u0, v0, u1, _bottom, other in ordered[index + 1 :]:
            if v0 >= y1 - 1:
                break
            if u0 < x1 - 1 and x0 < u1 - 1:
                found.append((word, other))
    return found


def test_the_return_sheet_prints_one_page_wide_and_rows_do_not_overlap(cli: RunCli, tmp_path: Path) -> None:
    soffice, pdftotext = require_client("soffice"), require_client("pdftotext")
    [workbook] = export(cli, SHIPPED_PLAN, tmp_path / "out", lead="lbs-community-safety")
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    pdf = tmp_path / "pdf" / f"{workbook.stem}.pdf"
    assert pdf.exists(), done.stdout + done.stderr
    pages = pages_of(pdf, pdftotext)
    # The Return sheet's pages carry its page header: the organisation and the round.
    returns = [page for page in pages if "return of 2020-12-15" in " ".join(w[4] for w in page)]
    assert returns, "no page of the Return sheet found"
    # One page wide: every printed page of the sheet has its first and its last column, and the header row.
    for page in returns:
        texts = [w[4] for w in page]
        for header in ("ID", "Action", "Outcomes", "Lead's", "Completed", "(name)"):
            assert header in texts, header
        assert overlapping(page) == []
    # Every word of the actions' text is printed: none clipped by a row too short for it.
    printed = {w[4] for page in returns for w in page}
    assert {"prevention", "exploitation"} <= {word.casefold().strip(",.;:") for word in printed}
    assert AS_OF in printed
