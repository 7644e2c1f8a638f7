"""Work that must grow linearly with the plan, pinned by counting (scans, reads, compiles), not by time.

The speed itself is measured in benchmarks/; these fail when a per-row cost turns into a
per-row rescan of everything.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cheplan.domain.model import ProgressEntry
from cheplan.editing import block_edits, blocks
from cheplan.editing.record import record_progress
from tests.conftest import SHIPPED_PLAN, MakePlan, RunCli, base_action, count_calls

TODAY = date(2021, 1, 15)


@pytest.mark.parametrize("entries_per_action", [1, 3])
def test_recording_n_entries_scans_the_plan_text_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries_per_action: int
) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(SHIPPED_PLAN, plan)
    scans = count_calls(monkeypatch, block_edits, "index_actions")
    lookups = count_calls(monkeypatch, blocks, "find_action")
    entries = [
        (action_id, ProgressEntry(date=f"2021-01-{day:02d}", status="in_progress", note=f"Return {day}."))
        for action_id in range(1, 31)
        for day in range(1, entries_per_action + 1)
    ]
    outcome = record_progress(plan, entries, registers=None, today=TODAY)
    assert sum(e.recorded for e in outcome.entries) == len(entries) == 30 * entries_per_action
    assert len(scans) == 1  # the whole text indexed once, however many entries
    assert lookups == []  # and never searched again per entry


def test_every_entry_is_in_the_written_plan_in_order(tmp_path: Path) -> None:
    """The blocks edited apart are put back together in place: the file reads back with each entry."""
    from cheplan.loading.load import validate_paths

    plan = tmp_path / "plan.yaml"
    shutil.copyfile(SHIPPED_PLAN, plan)
    entries = [
        (a, ProgressEntry(date=f"2021-01-0{d}", status="in_progress", note=f"{a}-{d}"))
        for a in (38, 1, 20)
        for d in (1, 2)
    ]
    record_progress(plan, entries, registers=None, today=TODAY)
    loaded = validate_paths(plan, [])
    assert loaded.plan is not None, loaded.errors
    for action_id in (1, 20, 38):
        action = loaded.plan.action(action_id)
        assert action is not None
        assert [p.note for p in action.progress][-2:] == [f"{action_id}-1", f"{action_id}-2"]
    untouched = [a for a in loaded.plan.actions if a.id not in (1, 20, 38)]
    original = validate_paths(SHIPPED_PLAN, []).plan
    assert original is not None
    assert untouched == [a for a in original.actions if a.id not in (1, 20, 38)]


def test_export_never_asks_openpyxl_for_the_sheet_size(
    tmp_path: Path, cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl computes `max_row`/`max_column` (and `sheet[row]`) by scanning every cell:
    asked once per row, writing a sheet is quadratic."""
    from openpyxl.worksheet.worksheet import Worksheet

    asked: list[str] = []
    for name in ("max_row", "max_column"):
        real = getattr(Worksheet, name)

        def counted(sheet: Worksheet, real: Any = real, name: str = name) -> int:
            asked.append(name)
            return int(real.fget(sheet))

        monkeypatch.setattr(Worksheet, name, property(counted))
    actions = [base_action(number, lead=["MPS Southwark"], end="2021-06") for number in range(1, 121)]
    plan = make_plan(actions=actions)
    result = cli("returns", "export", "--out", tmp_path / "out", "--plan", plan, "--as-of", "2020-12-15")
    assert result.code == 0, result.stderr
    assert asked == []


def test_a_workbook_the_export_wrote_is_importable_whatever_its_size(
    tmp_path: Path, cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's row cap comes from the plan: here the fixed cap is lowered below the rows
    the export writes for one organisation, and the workbook is still read."""
    from cheplan.loading import workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 20)
    actions = [base_action(number, lead=["MPS Southwark"], end="2021-06") for number in range(1, 41)]
    plan = make_plan(actions=actions)
    out = tmp_path / "out"
    assert cli("returns", "export", "--out", out, "--plan", plan, "--as-of", "2020-12-15").code == 0
    (book,) = sorted(out.glob("*.xlsx"))
    result = cli("returns", "import", book, "--plan", plan, "--as-of", "2020-12-15")
    assert result.code == 0, result.stderr
    assert "more than" not in result.stderr


def test_breakable_compiles_no_pattern_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report calls it for every value it prints: its pattern is compiled once, at import."""
    import re

    from cheplan.outputs.board_report import breakable

    compiled = count_calls(monkeypatch, re, "compile")
    module_level = [count_calls(monkeypatch, re, name) for name in ("split", "search", "sub", "findall")]
    shown = [str(breakable(text)) for text in ("short & <b>", "x" * 45, f"see {'y' * 31} now") * 50]
    assert shown[1] == "x" * 20 + "<wbr>" + "x" * 20 + "<wbr>" + "x" * 5
    assert compiled == []
    assert all(calls == [] for calls in module_level)


def test_the_report_is_handed_on_in_pieces_that_join_to_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Written as it is made: the pieces are few and bounded (never the millions of strings
    Jinja yields, never one whole text), and together they are exactly the report."""
    from cheplan.loading.load import load_plan
    from cheplan.outputs import board_report
    from cheplan.questions.board import Window, build_board

    loaded = load_plan(SHIPPED_PLAN, [])
    window = Window(as_of=TODAY, since=date(2020, 10, 15), until=date(2021, 4, 15), stale_days=90)
    board = build_board(loaded.plan, loaded.registers, window)
    whole = board_report.render_report(board, "markdown")
    monkeypatch.setattr(board_report, "_PIECE_STRINGS", 50)
    pieces = list(board_report.report_pieces(board, "markdown"))
    assert "".join(pieces) == whole
    assert whole.endswith("\n")
    assert not whole.endswith("\n\n")
    assert len(pieces) > 3


def test_the_yaml_builder_does_a_fixed_amount_of_work_per_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """Per value: one `_scalar` (or `_open`) call and one `_attach` call; nothing per value
    grows with what was read before (no rescans of the stack or of the data built)."""
    from cheplan.editing.plan_size import values_in
    from cheplan.loading import yaml_builder

    actions = 1_000
    text = "actions:\n" + "".join(
        f"  - id: {n}\n    action: Action {n}\n    lead: [NPS, MPS]\n" for n in range(actions)
    )
    scalars = count_calls(monkeypatch, yaml_builder._Builder, "_scalar")
    attached = count_calls(monkeypatch, yaml_builder._Builder, "_attach")
    data, problems, _, values = yaml_builder.build(text, "plan.yaml", None)
    assert problems == []
    assert values == values_in(data) == len(scalars) + 2 + actions * 2  # the count a writer makes
    assert data["actions"][999] == {"id": 999, "action": "Action 999", "lead": ["NPS", "MPS"]}
    assert len(scalars) == 1 + actions * 7  # `actions`, and per action 3 keys, 2 values, 2 leads
    assert len(attached) == len(scalars) + 1 + actions * 2  # and the list, each mapping, each lead list


def test_a_calendar_past_its_cap_is_refused_at_once_naming_it(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """icalendar's cost per event bounds the feed: past MAX_CALENDAR_EVENTS it is refused before
    any is built, saying how to narrow it; at the cap it is written."""
    from cheplan.domain import caps
    from cheplan.outputs import calendar

    monkeypatch.setattr(caps, "MAX_CALENDAR_EVENTS", 3)
    built = count_calls(monkeypatch, calendar, "calendar_feed")
    leads = ["NPS", "NPS", "NPS", "MPS Southwark"]
    plan = make_plan(actions=[base_action(n, lead=[lead], end="2021-06") for n, lead in enumerate(leads, start=1)])
    refused = cli("calendar", "--plan", plan, "--as-of", "2021-01-15")
    assert refused.code == 2
    assert "4 deadlines are more than one calendar feed holds (at most 3)" in refused.stderr
    assert "--lead" in refused.stderr
    assert built == []
    written = cli("calendar", "--plan", plan, "--as-of", "2021-01-15", "--lead", "NPS")
    assert written.code == 0, written.stderr
    assert written.stdout.count("BEGIN:VEVENT") == 3


def _shipped_board() -> Any:
    from cheplan.loading.load import load_plan
    from cheplan.questions.board import Window, build_board

    loaded = load_plan(SHIPPED_PLAN, [])
    window = Window(as_of=TODAY, since=date(2020, 10, 15), until=date(2021, 4, 15), stale_days=90)
    return build_board(loaded.plan, loaded.registers, window)


def test_the_html_report_escapes_each_value_once_and_calls_no_function_per_action(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Per value printed, one html_value and at most one escape; per action, no macro and no
    call through Jinja's Context.call (the badges and the per-action pieces are filters)."""
    from jinja2 import runtime

    from cheplan.outputs import board_report

    board = _shipped_board()
    values = count_calls(monkeypatch, board_report, "html_value")
    escapes = count_calls(monkeypatch, board_report, "escape")
    context_calls = count_calls(monkeypatch, runtime.Context, "call")
    macros = count_calls(monkeypatch, runtime.Macro, "_invoke")
    html = board_report.render_report(board, "html")
    assert html.count('<div class="action">') == len(board.rated) == 38
    assert len(values) > 38 * 10  # every value of the appendix goes through it
    assert len(escapes) <= len(values)  # never twice for one value
    assert macros == []
    summary_calls = len(context_calls)  # a few, in the summary (the movement's counts)
    assert summary_calls <= 3
    context_calls.clear()
    board_report.render_report(board, "html", appendix=False)
    assert len(context_calls) == summary_calls  # none in the appendix, whatever its size


def test_the_report_is_written_to_its_file_in_pieces(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out` hands the new file the report piece by piece: never whole in memory."""
    from cheplan.domain.filesystem import out_files, writing
    from cheplan.outputs import board_report

    monkeypatch.setattr(board_report, "_PIECE_STRINGS", 50)
    handed: list[int] = []
    real = writing.replace_atomically

    def counted(target: Path, payload: Any, **kwargs: Any) -> None:
        assert not isinstance(payload, bytes)
        pieces = list(payload)
        handed.append(len(pieces))
        real(target, pieces, **kwargs)

    monkeypatch.setattr(out_files, "replace_atomically", counted)
    out = tmp_path / "report.html"
    args = ("report", "--plan", SHIPPED_PLAN, "--as-of", "2021-01-15", "--format", "html")
    assert cli(*args, "--out", out).code == 0
    assert handed[0] > 3
    assert out.read_text(encoding="utf-8") == cli(*args).stdout


@pytest.mark.parametrize("count", [10, 40])
def test_export_assigns_cell_styles_for_one_row_whatever_the_rows(
    tmp_path: Path, cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    """openpyxl hashes a style object at each assignment: the Return sheet styles its first row
    and copies those styles to the others, so the assignments do not grow with the rows."""
    from openpyxl.styles import styleable

    assigned = count_calls(monkeypatch, styleable.StyleDescriptor, "__set__")
    actions = [base_action(number, lead=["MPS Southwark"], end="2021-06") for number in range(1, count + 1)]
    plan = make_plan(actions=actions)
    args = ("returns", "export", "--out", tmp_path / "out", "--plan", plan, "--as-of", "2020-12-15")
    assert cli(*args, "--lead", "MPS Southwark").code == 0
    assert 0 < len(assigned) < 200  # about 60 for the top rows, the header and the first row


def test_an_export_filled_in_to_the_last_cell_is_importable(
    tmp_path: Path, cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worksheets' element budget holds a return with every input filled in (about 56
    elements a row, against 39 as exported), not only the export as written."""
    import openpyxl

    from cheplan.loading import workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 20)
    actions = [base_action(number, lead=["MPS Southwark"], end="2021-06") for number in range(1, 41)]
    plan = make_plan(actions=actions)
    out = tmp_path / "out"
    assert cli("returns", "export", "--out", out, "--plan", plan, "--as-of", "2020-12-15").code == 0
    (exported,) = sorted(out.glob("*.xlsx"))
    book = openpyxl.load_workbook(exported)
    sheet = book["Return"]
    typed: list[str | date] = [
        "in progress",
        date(2020, 12, 10),
        "Work continues.",
        "A",
        "Venue",
        "A venue",
        "Minutes",
        "2021-09",
        "J. Smith",
    ]
    for row in range(4, 44):
        for offset, value in enumerate(typed):
            sheet.cell(row=row, column=8 + offset, value=value)
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    result = cli("returns", "import", filled, "--plan", plan, "--as-of", "2020-12-15", "--format", "json")
    assert result.code == 0, result.stderr
    assert "memory bomb" not in result.stderr
    assert result.stdout.count('"outcome": "record"') == 40
