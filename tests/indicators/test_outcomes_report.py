"""The board report's Outcomes section: a chart per indicator that prints, with its text equivalent,
and page 1's count of indicators on and off track."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.cli.test_report_browser import pdf_text, print_to_pdf
from tests.conftest import MakePlan, RunCli, base_action
from tests.indicators.examples import DIRECTORY, indicator
from tests.indicators.sheets import AS_OF, example_with_values

SUMMARY = "Outcome indicators: 2 on track, 1 off track, 1 with no data (Young people referred to drugs services"


def test_each_indicator_has_a_chart_with_a_text_equivalent(cli: RunCli, tmp_path: Path) -> None:
    plan = example_with_values(tmp_path)
    page = cli("report", "--plan", plan, "--as-of", AS_OF).stdout.replace("<wbr>", "")
    assert "<script" not in page.lower()
    outcomes = page.split('<section id="outcomes">', 1)[1].split("</section>", 1)[0]
    charts = re.findall(r"<svg [^>]*>.*?</svg>", outcomes, re.DOTALL)
    assert len(charts) == 4
    for number, chart in enumerate(charts, start=1):
        assert re.search(
            rf'<title id="indicator-{number}-title">[^<]+</title><desc id="indicator-{number}-desc">', chart
        )
        assert "stroke-dasharray" in chart  # the line from baseline to target is dashed
        assert ">baseline<" in chart
        assert ">target<" in chart
        assert f'<table aria-describedby="indicator-{number}-caption">' in outcomes
    assert "Permanent exclusions from school (illustrative): on track</h3>" in outcomes
    assert "(corrected from 90.0)" in outcomes
    assert "Indicator status: on track when" in outcomes
    assert SUMMARY in page.split('<section id="taken">', 1)[0]  # on page 1, in the summary


def test_the_markdown_report_has_the_values_as_tables(cli: RunCli, tmp_path: Path) -> None:
    plan = example_with_values(tmp_path)
    markdown = cli("report", "--plan", plan, "--as-of", AS_OF, "-f", "markdown").stdout
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    outcomes = html.split("<h2>Outcomes</h2>", 1)[1].split("<h2>", 1)[0]
    assert outcomes.count("<table>") == 4
    assert "<h3>Hospital admissions for knife injuries, under-25s (illustrative): off track</h3>" in outcomes
    assert '<td>2021-Q1</td>\n<td style="text-align:right">36</td>' in outcomes
    assert SUMMARY in markdown


def test_a_plan_without_indicators_still_states_the_rule(cli: RunCli) -> None:
    markdown = cli("report", "--as-of", AS_OF, "-f", "markdown").stdout
    outcomes = markdown.split("## Outcomes", 1)[1].split("\n## ", 1)[0]
    assert "Indicator status: on track when" in outcomes
    assert "The plan has no outcome indicators" in outcomes
    assert "Outcome indicators:" not in markdown.split("## 2.", 1)[0]


@pytest.mark.external
def test_the_outcomes_print_with_their_charts_as_text(cli: RunCli, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    assert cli("report", "--plan", example_with_values(tmp_path), "--as-of", AS_OF, "--out", page).code == 0
    text = " ".join(pdf_text(print_to_pdf(page, tmp_path)).split())
    assert "Outcomes" in text
    assert "Permanent exclusions from school (illustrative): on track" in text
    assert "Hospital admissions for knife injuries, under-25s (illustrative): off track" in text
    assert "2020-Q2" in text  # the charts' axes and the tables are text, not pictures


def test_hostile_indicator_text_stays_text(cli: RunCli, make_plan: MakePlan) -> None:
    hostile = "<script>alert(1)</script> | *bold* [x](http://evil) \x1b[31m"
    plan = make_plan(
        [base_action(1)],
        organisations=DIRECTORY,
        indicators=[
            indicator(title=hostile, source=hostile, values=[{"period": "2020-Q2", "value": 21, "note": hostile}])
        ],
    )
    page = cli("report", "--plan", plan, "--as-of", AS_OF).stdout
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page
    markdown = cli("report", "--plan", plan, "--as-of", AS_OF, "-f", "markdown").stdout
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert not re.search(r"<(script|a|em)\b", rendered)
