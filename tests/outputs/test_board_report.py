"""The board report: its content, one rule table everywhere, escaping, and determinism."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markupsafe import escape

from cheplan.loading.load import load_plan
from cheplan.outputs.board_text import md, one_line
from cheplan.questions.board import Window, build_board
from cheplan.questions.organisations import directory_of, organisations_of
from cheplan.questions.rag import LETTERS, RULES
from tests.board_plan import AS_OF, SCRIPT, hostile_plan, shipped_with_progress
from tests.conftest import REPO, SHIPPED_PLAN, SHIPPED_REGISTER, RunCli

HEADINGS = [
    "1. Summary",
    "2. Decisions taken at the last meeting (0)",
    "3. Exceptions (18)",
    "4. Since 2020-07-01: completed and slipped",
    "5. Due by 2021-01-01",
    "6. Overdue by partner",
    "7. Ratings by theme and by partner",
    "8. Recommendation coverage",
    "9. Source corrections",
    "10. Appendix: every action in full",
]


@pytest.fixture
def progress_plan(tmp_path: Path) -> Path:
    return shipped_with_progress(tmp_path)


def test_the_board_content(progress_plan: Path, cli: RunCli) -> None:
    loaded = load_plan(progress_plan, [SHIPPED_REGISTER])
    window = Window(as_of=date(2020, 10, 1), since=date(2020, 7, 1), until=date(2021, 1, 1))
    board = build_board(loaded.plan, loaded.registers, window)
    assert board.counts == {"red": 16, "amber": 2, "green": 2, "blue": 1, "grey": 1, "none": 16}
    assert [r.action.id for r in board.exceptions] == [
        7,
        18,
        19,
        20,
        21,
        22,
        23,
        24,
        25,
        28,
        29,
        33,
        34,
        35,
        36,
        38,
        10,
        26,
    ]
    # Action 8's only fault is its age (2020-05-10, over 120 days): listed apart, not an exception.
    assert [r.action.id for r in board.stale_only] == [8]
    assert board.movement.counts_text() == "red 3 → 16, amber 0 → 2, green 1 → 2"
    assert [(e.rated.action.id, e.entry.date) for e in board.completed] == [(1, "2020-09-15")]
    assert [(e.rated.action.id, e.previous_end, e.entry.revised_end) for e in board.slipped] == [
        (10, "2020-09", "2020-12")
    ]
    assert [row.action.id for row in board.due] == [10, 15, 17, 27, 31, 32]
    assert sum(t.total for t in board.by_theme) == 38
    corrections = json.loads(cli("corrections", "--plan", progress_plan, "-f", "json").stdout)
    assert board.corrections == len(corrections)
    # Returns since 2020-07-01: on actions 1, 2, 10, 12 and 30, by their leads (8's was in May); on
    # action 26, by the co-lead its entry names.
    directory = directory_of(loaded.plan)
    leading = {
        organisation.name
        for action in loaded.plan.actions
        if action.id in {1, 2, 10, 12, 30}
        for organisation in directory.organisations
        if organisation.id in organisations_of(directory, action)
    }
    reporter = directory.get(directory.resolve("LBS Education") or "")
    assert reporter is not None
    assert set(board.returned) == leading | {reporter.name}
    assert len(board.organisations) == len(directory.organisations)
    assert (board.trace.covered, board.trace.total) == (15, 21)


def test_the_html_stands_alone_and_prints(progress_plan: Path, cli: RunCli) -> None:
    page = cli("report", "--plan", progress_plan, "--as-of", AS_OF).stdout.replace("<wbr>", "")
    for heading in HEADINGS:
        assert f">{heading}" in page
    assert "<script" not in page.lower()
    assert not re.search(
        r"""(src|href)\s*=\s*"(?!#)|@import|url\((?!#)|<link|<iframe|<object|<embed""", page, re.IGNORECASE
    )
    assert "@page { size: A4" in page
    assert "thead { display: table-header-group; }" in page
    assert "tr, .figure, dl > div { break-inside: avoid;" in page
    charts = re.findall(r"<svg [^>]*>.*?</svg>", page, re.DOTALL)
    assert len(charts) == 3
    for chart in charts:
        assert re.search(r"<title id=\"[^\"]+\">[^<]+</title><desc id=\"[^\"]+\">[^<]+</desc>", chart)
    # Colour never carries meaning alone: the letters are on the bars and in the rows.
    assert ">R 5<" in charts[0]
    assert '<span class="rag rag-red" title="red">R</span> red' in page
    # The appendix has every action in full, never cut.
    loaded = load_plan(progress_plan, [SHIPPED_REGISTER])
    for action in loaded.plan.actions:
        assert str(escape(action.action)) in page
        assert str(escape(action.outcomes)) in page


def test_same_inputs_give_the_same_bytes(progress_plan: Path, tmp_path: Path) -> None:
    outputs = []
    for run in range(2):
        out = tmp_path / f"report{run}.html"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "cheplan",
                "report",
                "--plan",
                str(progress_plan),
                "--as-of",
                AS_OF,
                "--out",
                str(out),
            ],
            check=True,
            timeout=120,
            cwd=REPO,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"2020-10-01" in outputs[0]


def _documented_rules() -> list[tuple[str, str]]:
    text = (REPO / "docs" / "board-pack.md").read_text(encoding="utf-8")
    block = text.split("<!-- rag-rules -->")[1].split("<!-- /rag-rules -->")[0]
    rows = [line.strip("| ").split(" | ", 1) for line in block.strip().splitlines()[2:]]
    return [(rating.split()[-1], when.strip(" |")) for rating, when in rows]


def test_the_docs_the_printed_key_and_the_code_agree(progress_plan: Path, cli: RunCli) -> None:
    code = [(rule.rating, rule.when) for rule in RULES]
    assert _documented_rules() == code
    markdown = cli("report", "--plan", progress_plan, "--as-of", AS_OF, "-f", "markdown").stdout
    key = markdown.split("### The RAG key")[1].split("## 8.")[0]
    printed = re.findall(r"^\| \*\*(\w) (\w+)\*\* \| (.*) \|$", key, re.MULTILINE)
    assert [(rating, when) for _, rating, when in printed] == [(r, md(w)) for r, w in code]
    assert all(LETTERS[rating] == letter for letter, rating, _ in printed)
    page = cli("report", "--plan", progress_plan, "--as-of", AS_OF).stdout
    key_html = page.split(">The RAG key<")[1].split(">8. Recommendation coverage")[0]
    found = re.findall(r'title="(\w+)">\w</span> \w+</td><td>([^<]*)</td>', key_html)
    assert found == [(r, str(escape(w))) for r, w in code]


def test_a_hostile_plan_stays_literal_in_markdown(tmp_path: Path, cli: RunCli) -> None:
    markdown = cli("report", "--plan", hostile_plan(tmp_path), "--as-of", AS_OF, "-f", "markdown").stdout
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert not re.search(r"<(script|img|a|b)\b", rendered)
    assert rendered.count("<h1>") == 1
    assert rendered.count("<h2>") == 11  # ten numbered sections and Outcomes
    assert html.escape(SCRIPT, quote=False) in rendered
    assert "[U+001B][31m" in rendered
    assert "[U+202E]" in rendered
    # Every table row stays a row: no cell is split by a "|" or a newline in plan text.
    for table in re.findall(r"<table>.*?</table>", rendered, re.DOTALL):
        widths = {row.count("<td") + row.count("<th") for row in re.findall(r"<tr>.*?</tr>", table, re.DOTALL)}
        assert len(widths) == 1, table


def test_long_words_can_break_so_tables_fit_the_page() -> None:
    from cheplan.outputs.board_report import breakable

    url = "https://example.org/" + "a" * 40 + "?q=<x>"
    assert str(breakable(f"see {url} now")) == (
        "see https://example.org/<wbr>aaaaaaaaaaaaaaaaaaaa<wbr>aaaaaaaaaaaaaaaaaaaa<wbr>?q=&lt;x&gt; now"
    )
    assert str(breakable("short words & <b>")) == "short words &amp; &lt;b&gt;"


def test_a_hostile_plan_is_escaped_in_html(tmp_path: Path, cli: RunCli) -> None:
    page = cli("report", "--plan", hostile_plan(tmp_path), "--as-of", AS_OF).stdout.replace("<wbr>", "")
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;document.title=&#39;PWNED&#39;" in page
    assert "\x1b" not in page
    assert "\u202e" not in page


@given(st.text())
def test_markdown_escaping_keeps_any_text_literal(text: str) -> None:
    rendered = MarkdownIt("commonmark").render(f"x {md(text)}")
    expected = f"x {one_line(text)}".strip()
    assert html.unescape(rendered.removeprefix("<p>").removesuffix("</p>\n")) == expected


@pytest.mark.parametrize("threads", [None, "3"])
def test_a_report_leaves_the_process_as_it_found_it(threads: str | None, tmp_path: Path) -> None:
    """numpy is loaded with one BLAS thread, but the variable saying so is gone again (a user's own
    setting stays), and cycle collection is on again after an in-process run."""
    probe = (
        "import gc, os, sys\nfrom cheplan.cli.app import main\ncode = main(sys.argv[1:])\n"
        "print(code, os.environ.get('OPENBLAS_NUM_THREADS'), gc.isenabled(), 'numpy' in sys.modules)"
    )
    blas = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")
    env = {k: v for k, v in os.environ.items() if k not in blas}
    if threads is not None:
        env["OPENBLAS_NUM_THREADS"] = threads
    done = subprocess.run(
        [sys.executable, "-c", probe, "report", "--as-of", AS_OF, "--out", str(tmp_path / "report.html")],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=REPO,
    )  # fmt: skip
    assert done.stdout.split() == ["0", str(threads), "True", "True"], done.stderr


def test_no_matplotlibrc_changes_the_charts(tmp_path: Path) -> None:
    """matplotlib reads a matplotlibrc from the current directory and MPLCONFIGDIR: the report ignores both."""
    styled, plain = tmp_path / "styled", tmp_path / "plain"
    for directory in (styled, plain, styled / "config"):
        directory.mkdir()
    rc = "axes.linewidth: 3\naxes.edgecolor: red\nytick.labelsize: 20\nfont.family: serif\nsvg.fonttype: path\n"
    (styled / "matplotlibrc").write_text(rc, encoding="utf-8")
    (styled / "config" / "matplotlibrc").write_text(rc, encoding="utf-8")
    pages = []
    for cwd, config in ((plain, None), (styled, styled / "config")):
        env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
        if config is not None:
            env["MPLCONFIGDIR"] = str(config)
        out = tmp_path / f"{cwd.name}.html"
        command = [sys.executable, "-m", "cheplan", "report", "--plan", str(SHIPPED_PLAN), "--as-of", AS_OF]
        subprocess.run([*command, "--out", str(out)], check=True, timeout=120, cwd=cwd, env=env)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_an_unreadable_matplotlibrc_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "matplotlibrc").write_bytes(b"lines.linewidth: 2\n\xff\n")
    command = [sys.executable, "-m", "cheplan", "report", "--plan", str(SHIPPED_PLAN), "--as-of", AS_OF]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "cheplan: error: the charts' library, matplotlib, could not start:" in done.stderr
    assert "check the matplotlibrc in this folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr


def test_no_font_cache_changes_the_charts(tmp_path: Path) -> None:
    """A stale or planted `fontlist-*.json` in MPLCONFIGDIR that maps DejaVu Sans to other
    metrics (here, DejaVu Sans Mono's file) leaves the report's bytes as they were."""
    import json

    import matplotlib
    from matplotlib import font_manager

    planted = tmp_path / "planted"
    planted.mkdir()
    mono = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSansMono.ttf")
    entry: dict[str, Any] = {"__class__": "FontEntry", "fname": mono, "name": "DejaVu Sans", "variant": "normal"}
    entry |= {"stretch": "normal", "size": "scalable"}
    entries = [entry | {"style": style, "weight": weight} for style in ("normal", "oblique") for weight in (400, 700)]
    manager: dict[str, Any] = {"__class__": "FontManager", "_version": font_manager.FontManager.__version__}
    manager |= {"_FontManager__default_weight": "normal", "default_size": None, "afmlist": [], "ttflist": entries}
    manager |= {"defaultFamily": {"ttf": "DejaVu Sans", "afm": "Helvetica"}}
    cache = planted / f"fontlist-v{font_manager.FontManager.__version__}.json"
    cache.write_text(json.dumps(manager), encoding="utf-8")
    pages = []
    for config in (tmp_path / "fresh", planted):
        config.mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "XDG_CACHE_HOME")}
        env["MPLCONFIGDIR"] = str(config)
        out = tmp_path / f"{config.name}.html"
        command = [sys.executable, "-m", "cheplan", "report", "--plan", str(SHIPPED_PLAN), "--as-of", AS_OF]
        subprocess.run([*command, "--out", str(out)], check=True, timeout=120, cwd=tmp_path, env=env)
        pages.append(out.read_bytes())
    assert json.loads(cache.read_text(encoding="utf-8"))["ttflist"][0]["fname"] == mono  # it was read, not rebuilt
    assert pages[0] == pages[1]
