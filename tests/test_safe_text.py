"""One `visible()`: every character that would act rather than print is shown, in every output,
and every file name in every message goes through it (no name can start a CI workflow command)."""

from __future__ import annotations

import sys
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cheplan.domain.safe_text import first_hidden, is_hidden, safe_file_name, visible
from tests.conftest import MakePlan, RunCli, base_action
from tests.returns.workbooks import AS_OF, export, fill

HIDDEN = ("Cc", "Cf", "Zl", "Zp", "Cs")
EVERY_HIDDEN = [chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) in HIDDEN]


def shows_nothing_hidden(text: str) -> bool:
    return not any(unicodedata.category(char) in HIDDEN for char in text)


def test_every_control_format_and_separator_character_is_made_visible() -> None:
    # Each of them, alone and between letters: C0, DEL, C1, bidi marks and overrides and
    # isolates, zero-width characters, the BOM, tags, line and paragraph separators, surrogates.
    assert len(EVERY_HIDDEN) > 2048 + 65 + 150
    for char in EVERY_HIDDEN:
        shown = visible(f"a{char}b")
        assert shows_nothing_hidden(shown), hex(ord(char))
        assert shown.startswith("a\\")
        assert shown.endswith("b")
        assert is_hidden(char)
        boxed = visible(char, code_points=True)
        assert boxed == f"[U+{ord(char):04X}]"


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\x1b", "\\x1b"),  # the README's promise: ESC as \x1b, never \u001b
        ("\x9b", "\\x9b"),
        ("\x7f", "\\x7f"),
        ("\u202e", "\\u202e"),
        ("\u200f", "\\u200f"),  # right-to-left mark: once let through by returns import
        ("\u061c", "\\u061c"),  # Arabic letter mark: likewise
        ("\u2066", "\\u2066"),
        ("\u200b", "\\u200b"),
        ("\ufeff", "\\ufeff"),
        ("\U000e0041", "\\U000e0041"),  # a tag character, invisible
        ("\n", "\\n"),
        ("\t", "\\t"),
        ("\r", "\\r"),
    ],
)
def test_each_escape_is_written_as_documented(char: str, shown: str) -> None:
    assert visible(char) == shown


@given(st.text())
def test_any_text_comes_out_printable_and_escaping_twice_changes_nothing(text: str) -> None:
    shown = visible(text)
    assert shows_nothing_hidden(shown)
    assert visible(shown) == shown
    assert (first_hidden(text) is None) == (shown == text)


@given(st.text(st.characters(exclude_categories=HIDDEN)))  # type: ignore[arg-type]
def test_printable_text_is_left_as_it_is(text: str) -> None:
    assert visible(text) == text
    assert first_hidden(text) is None


@given(st.text(), st.sampled_from(["", "\n", "\t\n", "\t\n\r"]))
def test_only_the_whitespace_asked_for_is_kept(text: str, keep: str) -> None:
    shown = visible(text, keep=keep)
    assert all(char in keep for char in shown if is_hidden(char))
    assert shown.count("\n") == (text.count("\n") if "\n" in keep else 0)
    found = first_hidden(text, keep=keep)
    assert (found is None) == (shown == text)


def test_only_whitespace_can_be_kept() -> None:
    with pytest.raises(ValueError, match="only tab, LF and CR"):
        visible("x", keep="\x1b")


@given(st.text(min_size=1))
def test_no_file_name_can_start_a_workflow_command(name: str) -> None:
    shown = safe_file_name(name)
    assert "\n" not in shown
    assert "\r" not in shown
    assert not shown.lstrip().startswith("::")
    assert safe_file_name(shown) == shown


FORGERS = ["::error file=x,line=1::f.xlsx", "a\n::error file=x,line=1::f.xlsx", " ::warning::w.xlsx"]


def assert_inert(output: str) -> None:
    assert not any(line.lstrip().startswith("::") for line in output.splitlines()), output
    assert shows_nothing_hidden(output.replace("\n", ""))


@pytest.mark.parametrize("name", FORGERS)
def test_returns_import_names_files_inertly(
    name: str, cli: RunCli, make_plan: MakePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_plan([base_action(1, lead=["MPS"]), base_action(2, lead=["MPS"])])
    [exported] = export(cli, plan, tmp_path / "out", lead="MPS")
    monkeypatch.chdir(tmp_path)
    good, bad = Path(name), Path(f"{name}.bad.xlsx")
    fill(
        exported, {1: {"New status": "In Progress", "Date of update": datetime(2020, 12, 1), "Progress note": "Begun"}}
    )
    exported.rename(good)
    fill(good, {2: {"New status": "complete", "Date of update": "not a date", "Progress note": "Done"}}, out=bad)
    fill(good, {2: {"New status": "", "Date of update": None, "Progress note": None}})
    result = cli("returns", "import", good, "--plan", plan, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert_inert(result.stdout + result.stderr)
    assert safe_file_name(name) in result.stdout
    result = cli("returns", "import", good, bad, "--plan", plan, "--as-of", AS_OF)
    assert result.code == 1
    assert "!Return!" in result.stderr  # the problem, at its cell, in the escaped file
    assert_inert(result.stdout + result.stderr)
    unreadable = Path(f"{name}.txt")
    unreadable.write_text("not a workbook", encoding="utf-8")
    result = cli("returns", "import", unreadable, "--plan", plan, "--as-of", AS_OF)
    assert result.code == 2
    assert_inert(result.stdout + result.stderr)


@pytest.mark.parametrize("name", FORGERS)
def test_calendar_and_export_name_their_files_inertly(
    name: str, cli: RunCli, make_plan: MakePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_plan([base_action(1, lead=["MPS"])])
    monkeypatch.chdir(tmp_path)
    result = cli("calendar", "--plan", plan, "--as-of", AS_OF, "--out", Path(f"{name}.ics"))
    assert result.code == 0, result.stderr
    assert Path(f"{name}.ics").is_file()
    assert_inert(result.stdout + result.stderr)
    result = cli("returns", "export", "--plan", plan, "--as-of", AS_OF, "--out", Path(name))
    assert result.code == 0, result.stderr
    assert_inert(result.stdout + result.stderr)
    result = cli("schema", "--out", Path(f"{name}.json"))
    assert result.code == 0, result.stderr
    assert_inert(result.stdout + result.stderr)


@given(st.text(), st.sampled_from(["", "\t", "\n\r", "\t\n\r"]))
def test_first_hidden_is_the_first_in_the_text(text: str, keep: str) -> None:
    expected = next((char for char in text if char not in keep and is_hidden(char)), None)
    assert first_hidden(text, keep=keep) == expected
    assert first_hidden("a\u202eb\x1bc\u202e") == "\u202e"
