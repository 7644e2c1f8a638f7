"""The everyday table, as officers read it: the terminal's whole width, whole words, no
trailing padding, a bounded width whatever COLUMNS says, and a word when the plan period is over."""

from __future__ import annotations

import re

import pytest

from cheplan.loading.load import load_plan
from cheplan.outputs.listing import Cell, Column, Listing
from cheplan.outputs.table_format import MAX_TABLE_WIDTH, render_table, table_width, text_limit
from tests.conftest import BASE_PLAN, SHIPPED_PLAN, SHIPPED_REGISTER, MakePlan, RunCli

AS_OF = ("--as-of", "2020-10-01")
PLAN = load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER]).plan
# Every word a table of the shipped plan can show: plan text, headers, our own sentences.
VOCABULARY = {
    word
    for text in [
        *(a.action for a in PLAN.actions),
        *(lead for a in PLAN.actions for lead in a.lead),
        *(name for o in PLAN.organisations for name in (o.name, *o.aliases)),
        PLAN.plan.title,
        "ID Action Lead With End Days Status Updated not reported in progress never Lead: With: · Overdue as of",
        "and more rows shown (use --limit to show all, or --format csv/json). overdue of actions in the plan,",
        "lead organisations to chase.",
    ]
    for word in text.split()
}
_PUNCTUATION = ";:,.()"


def known(word: str) -> bool:
    word = word.strip(_PUNCTUATION)
    return word in {w.strip(_PUNCTUATION) for w in VOCABULARY} or re.fullmatch(r"[\d-]*", word) is not None


def overdue_table(cli: RunCli, monkeypatch: pytest.MonkeyPatch, columns: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli("overdue", *AS_OF, "--limit", "0", *args)
    assert result.code == 0
    return result.stdout


def test_a_wide_terminal_shows_whole_actions(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = overdue_table(cli, monkeypatch, 200)
    action_22 = next(a for a in PLAN.actions if a.id == 22).action
    assert len(action_22) > 150
    assert action_22.endswith("involved in serious violence.")
    # At 80 columns it is cut at 50 characters, "(critic…"; at 200 it is shown whole.
    assert "(critic…" not in text
    assert "(critical transition point)" in text
    assert "in serious violence." in text
    assert "not reported" in text  # the status fits on one line


def test_eighty_columns_still_shortens_with_a_visible_ellipsis(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = overdue_table(cli, monkeypatch, 80)
    assert "(critic…" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_text_limits_grow_with_the_width() -> None:
    column = Column("a", "A", max_chars=50)
    assert [text_limit(column, w) for w in (40, 80, 120, 200)] == [50, 50, 100, 200]
    assert text_limit(Column("b", "B"), 200) is None


@pytest.mark.parametrize("columns", [40, 50, 60, 70, 80, 100, 132, 200])
@pytest.mark.parametrize("by_lead", [False, True])
def test_words_are_never_broken(cli: RunCli, monkeypatch: pytest.MonkeyPatch, columns: int, by_lead: bool) -> None:
    text = overdue_table(cli, monkeypatch, columns, *(["--by-lead"] if by_lead else []))
    assert max(len(line) for line in text.splitlines()) <= columns
    broken = [
        word
        for line in text.splitlines()
        for word in line.split()
        if not word.endswith("…") and not set(word) <= set("─") and not known(word)
    ]
    assert broken == []  # e.g. "Consolida" / "te" at 60 columns


def test_sixty_columns_keeps_consolidate_whole(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = overdue_table(cli, monkeypatch, 60)
    assert "Consolidate" in text
    assert "Consolida\n" not in text


@pytest.mark.parametrize("command", [["overdue", *AS_OF], ["actions"], ["trace", *AS_OF], ["show", "3"]])
@pytest.mark.parametrize("columns", [60, 80, 200])
def test_piped_tables_have_no_trailing_spaces(
    cli: RunCli, monkeypatch: pytest.MonkeyPatch, command: list[str], columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli(*command)
    assert result.code == 0
    assert [line for line in result.stdout.splitlines() if line.endswith(" ")] == []


def test_the_width_is_clamped_whatever_columns_says(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert table_width(99_999_999) == MAX_TABLE_WIDTH
    assert table_width(10) == 40
    text = overdue_table(cli, monkeypatch, 99_999_999)
    assert len(text) < 200_000
    assert max(len(line) for line in text.splitlines()) <= MAX_TABLE_WIDTH


def test_grouped_tables_share_one_layout() -> None:
    rows: list[dict[str, Cell]] = [
        {"g": "A", "id": 1, "t": "short"},
        {"g": "B", "id": 2, "t": "a much longer text " * 5},
    ]
    listing = Listing(data=[], columns=[Column("id", "ID"), Column("t", "Text", ratio=1)], rows=rows, group_by="g")
    rules = [line for line in render_table(listing, width=60).splitlines() if line.startswith("──")]
    assert len(rules) == 2
    assert rules[0] == rules[1]


def test_too_narrow_for_whole_words_shows_each_row_as_a_block() -> None:
    columns = [
        Column("id", "ID", no_wrap=True),
        Column("text", "Text", ratio=1),
        Column("date", "Date", no_wrap=True),
        Column("lead", "Lead", ratio=1),
    ]
    rows: list[dict[str, Cell]] = [
        {"id": 7, "text": "Consolidate partnership arrangements", "date": "2020-06-30", "lead": "Exploitation"}
    ]
    listing = Listing(data=[], columns=columns, rows=rows)
    assert render_table(listing, width=40).splitlines() == [
        "7 · Date 2020-06-30",
        "    Consolidate partnership arrangements",
        "    Lead: Exploitation",
    ]
    # Wide enough for the longest words: a table.
    assert render_table(listing, width=46).splitlines()[2] == "7    Consolidate    2020-06-30   Exploitation"


def test_a_note_when_today_is_after_the_plan_period(cli: RunCli) -> None:
    for command in ("overdue", "due"):
        result = cli(command)  # today: years after the shipped plan's period (to Mar 2021)
        assert result.stderr.count("after the plan period") == 1
        assert "--as-of 2021-03-31" in result.stderr
        assert "plan period" not in result.stdout  # data on stdout, the hint on stderr
        assert "plan period" not in cli(command, "--format", "json").stdout


def test_no_note_with_as_of_or_within_the_period(cli: RunCli, make_plan: MakePlan) -> None:
    assert cli("overdue", *AS_OF).stderr == ""
    assert cli("overdue", "--as-of", "2030-01-01").stderr == ""
    plan = make_plan(plan={**BASE_PLAN["plan"], "period": {"start": "2020-04", "end": "9999-12"}})
    assert "plan period" not in cli("overdue", "--plan", plan).stderr
