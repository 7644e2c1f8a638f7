"""The board report in a real browser: headless Chromium prints it to A4 PDF, poppler reads it back.

A board member reads the report on paper. This checks what only a browser can: that it lays
out and prints (a page count in range, A4 pages), that its text is real text (extractable,
headings included), and that a hostile plan stays inert: a script in a title does not run
(it would change the document's title, which becomes the PDF's title, or write text).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.board_plan import AS_OF, hostile_plan, shipped_with_progress
from tests.conftest import RunCli, require_client

pytestmark = pytest.mark.external


def print_to_pdf(page: Path, tmp_path: Path) -> Path:
    chromium = require_client("chromium")
    pdf = tmp_path / f"{page.stem}.pdf"
    profile = tmp_path / "chromium-profile"
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
        page.resolve().as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=180, check=True)
    assert pdf.stat().st_size > 0
    return pdf


def pdf_info(pdf: Path) -> dict[str, str]:
    require_client("pdfinfo")
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def pdf_text(pdf: Path) -> str:
    pdftotext = require_client("pdftotext")
    done = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def test_the_report_prints_to_a4_with_text(cli: RunCli, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    plan = shipped_with_progress(tmp_path)
    assert cli("report", "--plan", plan, "--as-of", AS_OF, "--out", page).code == 0
    pdf = print_to_pdf(page, tmp_path)
    info = pdf_info(pdf)
    assert 15 <= int(info["Pages"]) <= 80, info["Pages"]
    assert info["Page size"].endswith("(A4)"), info["Page size"]
    text = " ".join(pdf_text(pdf).split())
    for heading in (
        "1. Summary",
        "3. Exceptions",
        "4. Since 2020-07-01: completed and slipped",
        "6. Overdue by partner",
        "The RAG key",
        "8. Recommendation coverage",
        "10. Appendix: every action in full",
    ):
        assert heading in text
    assert "RAG ratings by theme" in text
    assert "Mentor funding withdrawn; seeking a new funder." in text  # an override's note
    # The last words of the last action: the appendix is not cut.
    assert "bespoke community sentence interventions." in text


def test_a_hostile_plan_is_inert_in_a_browser(cli: RunCli, tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    assert cli("report", "--plan", hostile_plan(tmp_path), "--as-of", AS_OF, "--out", page).code == 0
    pdf = print_to_pdf(page, tmp_path)
    info = pdf_info(pdf)
    assert info.get("Title", "").startswith("Plan <script>document.title='PWNED'")  # as text, not run
    text = pdf_text(pdf)
    # Lines may wrap anywhere a break was allowed (<wbr> in long words): compare without whitespace.
    squeezed = "".join(text.split())
    for literal in (
        "<script>document.title='PWNED';document.write('INJECTED')</script>",
        "onerror=\"document.write('INJECTED')\"",
        "[U+001B][31m",
        "[link](http://example.invalid)",
    ):
        assert "".join(literal.split()) in squeezed
    # document.write would have put the word on its own; it appears only inside the literal text.
    assert not re.search(r"(^|\s)INJECTED(\s|$)", text)
