"""The board meeting as a decision loop, end to end: a realistic quarter recorded on a copy of
the shipped plan (tests/board_scenario.py), the first meeting's decisions recorded with
`cheplan decide`, and the second meeting's pack printed by Chromium and read back."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from cheplan.cli.commands.report import meeting_window
from cheplan.loading.load import load_plan
from cheplan.questions.board import build_board
from tests.board_scenario import (
    AGREED,
    ANSWERED_ASK,
    DECISIONS,
    FIRST,
    PENDING,
    PENDING_ASK,
    RED_TWICE,
    REJECTED,
    SECOND,
    first_meeting_plan,
    record_quarter,
)
from tests.cli.browser_checks import missing_words, printed, screen_overflow
from tests.conftest import SHIPPED_REGISTER, RunCli

MAX_PAGES = 8  # without the appendix, page 1 included


@pytest.fixture
def quarter(cli: RunCli, tmp_path: Path) -> Path:
    plan = first_meeting_plan(tmp_path)
    for action_id, options in DECISIONS:
        result = cli("decide", str(action_id), *options, "--plan", plan)
        assert (result.code, result.stderr) == (0, ""), result.stderr
        assert "recorded in" in result.stdout
    record_quarter(plan)
    assert cli("validate", "--plan", plan).code == 0
    return plan


def test_the_decisions_are_recorded_as_progress_entries(quarter: Path) -> None:
    actions = {a["id"]: a for a in yaml.safe_load(quarter.read_text(encoding="utf-8"))["actions"]}
    [agreed] = [e for e in actions[AGREED]["progress"] if "decision" in e]
    assert agreed == {
        "date": FIRST,
        "status": "in_progress",
        "note": f"Agreed by Community Harm and Exploitation Board on {FIRST}.",
        "revised_end": "2020-12",
        "decision": "agreed",
        "meeting": FIRST,
    }
    [rejected] = [e for e in actions[REJECTED]["progress"] if "decision" in e]
    assert (rejected["decision"], "revised_end" in rejected) == ("rejected", False)
    [answer] = [e for e in actions[ANSWERED_ASK]["progress"] if "decision" in e]
    assert (answer["decision"], answer["ask"]) == ("agreed", 1)


def test_a_decision_is_idempotent_and_never_rewritten(cli: RunCli, quarter: Path) -> None:
    before = quarter.read_bytes()
    action_id, options = DECISIONS[0]
    again = cli("decide", str(action_id), *options, "--plan", quarter)
    assert again.code == 0
    assert "already on record; nothing changed" in again.stdout
    refused = [
        [str(AGREED), "--reject", "--note", "Changed our minds.", "--date", FIRST],  # already agreed
        [str(REJECTED), "--reject", "--date", FIRST],  # no reason
        ["2", "--agree", "--date", FIRST],  # nothing proposed
        [str(ANSWERED_ASK), "--ask", "2", "--agree", "--date", FIRST],  # one ask only
        [str(AGREED), "--date", FIRST],  # neither --agree nor --reject
        [str(AGREED), "--agree", "--end", "2020-13", "--date", FIRST],
    ]
    for arguments in refused:
        result = cli("decide", *arguments, "--plan", quarter)
        assert (result.code, result.stdout) == (2, ""), arguments
        assert result.stderr.startswith("cheplan: error:"), result.stderr
    assert quarter.read_bytes() == before


def test_consecutive_packs_never_count_an_event_twice(quarter: Path) -> None:
    loaded = load_plan(quarter, [SHIPPED_REGISTER])
    packs = []
    for meeting in (FIRST, SECOND):
        window = meeting_window(loaded.plan, date.fromisoformat(meeting), None, None, None)
        packs.append(build_board(loaded.plan, loaded.registers, window))
    first, second = packs
    assert (first.window.meeting, second.window.meeting, second.window.since) == (FIRST, SECOND, date(2020, 7, 1))
    # Action 1 completed on the first meeting's day: in that pack, not in the next.
    assert [e.rated.action.id for e in first.completed] == [1]
    assert [e.rated.action.id for e in second.completed] == [18, 20]
    # Decided at the first meeting: listed as taken in the next pack only.
    assert first.taken == []
    assert [(t.action.id, t.effect) for t in second.taken] == [
        (ANSWERED_ASK, "support agreed"),
        (AGREED, "end moved from 2020-09 to 2020-12"),
        (REJECTED, "end stays 2020-09"),
    ]
    for kind in ("completed", "slipped"):
        events = [(e.rated.action.id, e.entry.date) for pack in packs for e in getattr(pack, kind)]
        assert len(events) == len(set(events)), kind


@pytest.mark.external
def test_the_second_meetings_pack_in_chromium(cli: RunCli, quarter: Path, tmp_path: Path) -> None:
    page = tmp_path / "pack.html"
    assert cli("report", "--plan", quarter, "--as-of", SECOND, "--no-appendix", "--out", page).code == 0
    pages = printed(page, tmp_path)
    assert 2 <= pages.count <= MAX_PAGES
    assert pages.outside_the_printable_area() == []
    assert missing_words(page, pages) == []
    one = pages.text(1)
    assert "1. Summary" in one
    assert "Movement since 2020-07-01: red 2 → 14, amber 1 → 1, green 2 → 14." in one
    assert re.search(r"Improved \(2\): 18, 20", one)
    decisions = one.split("Decisions needed (3)")[1].split("Top exceptions")[0]
    assert re.search(rf"1\. Proposed new end, action {PENDING}: .* Proposed: a new end month, 2021-03", decisions)
    assert f"2. Escalation, action {RED_TWICE}:" in decisions
    assert f"3. Support asked, action {PENDING_ASK} (ask 1):" in decisions
    assert "Top exceptions (5 of 16)" in one
    assert "No return from: LBS Culture & Leisure;" in one
    assert "2. Decisions taken" not in one  # page 1 is the summary alone
    everything = " ".join(pages.text(n) for n in range(1, pages.count + 1))
    assert "end moved from 2020-09 to 2020-12" in everything
    assert "10. Appendix" not in everything
    # Nothing in the paper is a command-line instruction.
    assert not re.search(r"\bcheplan\b|--[a-z]", everything)


@pytest.mark.external
def test_the_pack_fits_a_1280_pixel_screen(cli: RunCli, quarter: Path, tmp_path: Path) -> None:
    page = tmp_path / "pack.html"
    assert cli("report", "--plan", quarter, "--as-of", SECOND, "--out", page).code == 0
    width, overflowing = screen_overflow(page, tmp_path)
    assert width <= 1280
    assert overflowing == ""


LONG_NAME = (
    "London Borough of Southwark Community Safety, Enforcement and Partnerships Directorate (Housing and Modernisation)"
)
LONG_WORD = "https://intranet.example.org/" + "community-safety/" * 6 + "returns/2020-Q3.xlsx"


def long_plan(tmp_path: Path) -> Path:
    """The quarter, with organisation names and notes long enough to overflow a narrow column."""
    plan = first_meeting_plan(tmp_path)
    record_quarter(plan)
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    for organisation in data["organisations"]:
        organisation["aliases"] = [*organisation.get("aliases", []), organisation["name"]]
        organisation["name"] = f"{LONG_NAME} {organisation['id']}"
    for action in data["actions"]:
        for entry in action.get("progress", []):
            entry["note"] = f"{entry['note']} Evidence at {LONG_WORD} " + "and a long account of the work. " * 8
            entry["note"] = entry["note"].strip()
    plan.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return plan


@pytest.mark.external
def test_long_names_and_notes_are_not_clipped(cli: RunCli, tmp_path: Path) -> None:
    plan = long_plan(tmp_path)
    page = tmp_path / "long.html"
    result = cli("report", "--plan", plan, "--as-of", SECOND, "--out", page)
    assert result.code == 0, result.stderr
    pages = printed(page, tmp_path)
    assert pages.outside_the_printable_area() == []
    assert missing_words(page, pages) == []
    width, overflowing = screen_overflow(page, tmp_path)
    assert overflowing == ""
    assert width <= 1280


def test_the_docs_example_is_the_scenario(tmp_path: Path) -> None:
    """examples/board-quarter.yaml, whose page 1 docs/board-pack.md shows (and tests/test_readme.py
    runs), is this scenario: `python -m tests.make_board_example` rewrites it."""
    from tests.make_board_example import EXAMPLE, example_text

    assert EXAMPLE.read_text(encoding="utf-8") == example_text(tmp_path)


@pytest.mark.parametrize("command", [["actions"], ["actions", str(RED_TWICE)], ["overdue"], ["due", "--within", "100"]])
def test_json_gives_the_rating_then_when_since_is_given(cli: RunCli, quarter: Path, command: list[str]) -> None:
    on = [*command, "--plan", quarter, "--as-of", SECOND, "-f", "json"]
    rows = json.loads(cli(*on, "--since", FIRST).stdout)
    rows = rows if isinstance(rows, list) else [rows]
    assert rows
    assert all(set(row["rag_then"]) == set(row["rag"]) for row in rows)
    by_id = {row["id"]: row for row in rows}
    if RED_TWICE in by_id:
        assert (by_id[RED_TWICE]["rag_then"]["rating"], by_id[RED_TWICE]["rag"]["rating"]) == ("red", "red")
    if 17 in by_id:  # not started at the first meeting, in progress (a proposal pending) now
        assert (by_id[17]["rag_then"]["rating"], by_id[17]["rag"]["rating"]) == ("none", "green")
    without = json.loads(cli(*on).stdout)
    assert all("rag_then" not in row for row in (without if isinstance(without, list) else [without]))


def _many_decisions_plan(tmp_path: Path) -> Path:
    """Thirty actions red at the last meeting and red again now: thirty escalations."""
    from tests.conftest import base_action, plan_data

    path = tmp_path / "many_decisions.yaml"
    data = plan_data([base_action(n, end="2020-06") for n in range(1, 31)])
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_page_one_sets_out_four_decisions_and_every_one_follows(cli: RunCli, tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    from cheplan.outputs.board_report import PAGE_ONE_DECISIONS

    plan = _many_decisions_plan(tmp_path)
    markdown = cli("report", "--plan", plan, "--as-of", "2021-01-15", "-f", "markdown", "--no-appendix").stdout
    html = MarkdownIt("commonmark").render(markdown)
    page_one, rest = html.split("<h3>Every decision needed (30)</h3>")
    needed = page_one.split("<h3>Decisions needed (30)</h3>")[1].split("<h3>Top exceptions")[0]
    assert needed.count("<li>") == PAGE_ONE_DECISIONS == 4
    assert "<p>And 26 more: every decision needed is set out after this page.</p>" in needed
    every = rest.split("<h2>")[0]
    assert every.count("<li>") == 30
    assert [int(n) for n in re.findall(r"Escalation, action (\d+)", every)] == list(range(1, 31))
    page = cli("report", "--plan", plan, "--as-of", "2021-01-15", "--no-appendix").stdout
    assert page.count("<li><strong>Escalation, action") == 34
    assert '<h3 class="every-decision">Every decision needed (30)</h3>' in page


@pytest.mark.external
def test_sixteen_decisions_leave_page_one_the_summary_alone_in_chromium(
    cli: RunCli, quarter: Path, tmp_path: Path
) -> None:
    page = tmp_path / "pack.html"
    assert cli("report", "--plan", quarter, "--as-of", "2021-01-15", "--no-appendix", "--out", page).code == 0
    pages = printed(page, tmp_path)
    one = pages.text(1)
    assert "Decisions needed (16)" in one
    assert "And 12 more: every decision needed is set out after this page." in one
    assert "partners made a return since" in one  # the end of the summary
    assert "Every decision needed" not in one
    assert "Every decision needed (16)" in pages.text(2)
    assert missing_words(page, pages) == []
