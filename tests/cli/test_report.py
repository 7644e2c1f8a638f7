"""`cheplan report`: options, dates, --lead, --out, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cheplan.domain.months import shift_months
from tests.board_plan import AS_OF, shipped_with_progress
from tests.conftest import RunCli


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return shipped_with_progress(tmp_path)


def test_out_writes_the_file_and_nothing_to_stdout(cli: RunCli, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "board.md"
    result = cli("report", "--plan", plan, "--as-of", AS_OF, "-f", "markdown", "--out", out)
    assert (result.code, result.stdout) == (0, "")
    assert out.read_text(encoding="utf-8") == cli("report", "--plan", plan, "--as-of", AS_OF, "-f", "markdown").stdout


def test_since_and_until_set_the_window(cli: RunCli, plan: Path) -> None:
    text = cli(
        "report", "--plan", plan, "--as-of", AS_OF, "--since", "2020-09-10", "--until", "2020-12-31", "-f", "markdown"
    )
    assert "changes since the meeting of 2020-09-10 (events of that day were in its pack)" in text.stdout
    assert "what falls due up to 2020-12-31" in text.stdout
    assert "### Completed (1)" in text.stdout  # action 1, on 2020-09-15
    assert "### Slipped: revised ends agreed (0)" in text.stdout  # action 10's was on 2020-08-20
    assert "## 5. Due by 2020-12-31 (6)" in text.stdout


def test_lead_narrows_the_report_to_one_organisation(cli: RunCli, plan: Path) -> None:
    text = cli("report", "--plan", plan, "--as-of", AS_OF, "--lead", "lbs public affairs", "-f", "markdown").stdout
    assert "Only the actions led by LBS Public Affairs." in text
    appendix = text.split("## 10. Appendix")[1]
    # Its own two actions, and the two led by "All".
    assert [line.split(":")[0] for line in appendix.splitlines() if line.startswith("### Action")] == [
        "### Action 7",
        "### Action 21",
        "### Action 30",
        "### Action 37",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lead", "Nobody"], "--lead 'Nobody' matches no lead organisation"),
        (["--since", "2020-11-01"], "--since 2020-11-01 is later than the as-of date 2020-10-01"),
        (["--until", "2020-09-01"], "--until 2020-09-01 is earlier than the as-of date"),
        (["--since", "2020-02-30"], "--since: '2020-02-30' is not a real date"),
        (["--out", "/nonexistent/dir/report.html"], "--out: cannot write /nonexistent/dir/report.html"),
    ],
)
def test_bad_options_are_usage_errors(cli: RunCli, plan: Path, args: list[str], message: str) -> None:
    result = cli("report", "--plan", plan, "--as-of", AS_OF, *args)
    assert result.code == 2
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [("2020-10-01", -3, "2020-07-01"), ("2020-05-31", -3, "2020-02-29"), ("2020-11-30", 3, "2021-02-28")],
)
def test_shift_months(day: str, months: int, expected: str) -> None:
    from datetime import date

    assert shift_months(date.fromisoformat(day), months).isoformat() == expected


@pytest.mark.parametrize("command", [["report"], ["calendar"]])
def test_out_never_overwrites_the_plan_it_was_made_from(
    cli: RunCli, plan: Path, tmp_path: Path, command: list[str]
) -> None:
    before = plan.read_bytes()
    link = tmp_path / "link.yaml"
    link.symlink_to(plan)
    for out in (plan, link):
        result = cli(*command, "--plan", plan, "--as-of", AS_OF, "--out", out)
        assert result.code == 2
        assert "is an input of this command" in result.stderr
        assert plan.read_bytes() == before
