"""Plan text never drives the reader's terminal or a CI runner: control characters are shown,
not obeyed, in tables, `diff` text and diagnostics; JSON keeps the exact text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cheplan.domain.problems import Problem
from cheplan.domain.safe_text import one_line, visible
from cheplan.outputs.diff_formats import DiffReport
from cheplan.outputs.diff_formats import render_text as render_diff_text
from cheplan.outputs.listing import Column, Listing
from cheplan.outputs.problem_formats import render_text
from cheplan.outputs.table_format import render_table
from cheplan.questions.diff import ActionChange, FieldChange, PlanDiff, RawActions
from tests.conftest import MakePlan, RunCli, base_action

ATTACKS = {
    "clear screen (CSI)": "\x1b[2J\x1b[H",
    "OSC 8 hidden link": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "OSC 0 window title": "\x1b]0;pwned\x07",
    "8-bit CSI (C1)": "\x9b2J",
    "C1 string terminator": "\x9c",
    "BEL": "\x07",
    "backspace over text": "safe\x08\x08\x08\x08evil",
    "bidi override": "\u202eevil\u202c",
    "DEL and NUL": "\x7f\x00",
}
# What a terminal obeys: C0 (bar the newlines a table is made of), DEL, C1, and bidi controls.
OBEYED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=list(ATTACKS))
def test_visible_shows_every_control_as_an_escape(attack: str) -> None:
    shown = visible(attack)
    assert not OBEYED.search(shown)
    assert "\\x" in shown or "\\u" in shown
    assert visible("café – “ok” 😀") == "café – “ok” 😀"


def test_one_line_collapses_and_escapes() -> None:
    assert one_line("a\n\tb\x1b[2J  c") == "a b\\x1b[2J c"


def hostile_listing(text: str) -> Listing:
    return Listing(
        data=[{"text": text}],
        columns=[
            Column("id", "ID", no_wrap=True),
            Column("text", "Text", ratio=1, max_chars=40),
            Column("lead", "Lead"),
        ],
        rows=[{"group": text, "id": 1, "text": text, "lead": [text, "X"]}],
        title=text,
        group_by="group",
        footer=[text],
    )


@pytest.mark.parametrize("width", [40, 80, 200])
@pytest.mark.parametrize("attack", ATTACKS.values(), ids=list(ATTACKS))
def test_table_shows_controls_never_sends_them(attack: str, width: int) -> None:
    text = render_table(hostile_listing(f"a {attack} b"), width=width)
    assert not OBEYED.search(text), repr(text)
    assert "\\x" in text or "\\u" in text


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.sampled_from([40, 60, 80, 120]))
def test_any_text_in_a_table_is_inert(text: str, width: int) -> None:
    out = render_table(hostile_listing(text), width=width)
    assert not OBEYED.search(out)
    empty = render_table(Listing(data=[], columns=[], rows=[], title=text, empty_message=text), width=width)
    assert not OBEYED.search(empty)


def test_the_cli_table_is_inert_and_json_exact(cli: RunCli, make_plan: MakePlan) -> None:
    attack = "Support \x9b31m \x1b]8;;https://evil.example\x1b\\children\x1b]8;;\x1b\\ \x1b[2J now"
    plan = make_plan([base_action(1, action=attack, end="2020-06", lead=["MPS\x07"])])
    table = cli("overdue", "--plan", plan, "--as-of", "2020-10-01")
    assert table.code == 0
    assert not OBEYED.search(table.stdout)
    assert "\\x1b]8;;https://evil" in table.stdout
    assert "\\x9b31m" in table.stdout
    exact = cli("overdue", "--plan", plan, "--as-of", "2020-10-01", "--format", "json")
    assert json.loads(exact.stdout)[0]["action"] == attack
    assert json.loads(exact.stdout)[0]["lead"] == ["MPS\x07"]


def test_diff_text_is_inert() -> None:
    attack = "new \x1b[2J action\nwith a second line \u202eevil"
    actions = RawActions({1: {"id": 1, "action": attack}})
    sentence = FieldChange("theme", "a", "b", [f"theme a → {attack}"])
    change = PlanDiff(added=[1], removed=[], changed=[ActionChange(1, [sentence])], coverage=[])
    text = render_diff_text(DiffReport(change, RawActions(), actions, "plan\x1b[2J.yaml", "HEAD"))
    assert not OBEYED.search(text)
    # The headline, "Added:" and its action, "Changed:", the action and its sentence: no line forged.
    assert len(text.splitlines()) == 8
    assert "\\n" in text.splitlines()[-1]


NAMES = ["plan.yaml\n::error file=x.yaml::forged", "::error::forged.yaml", "  ::warning::x", "a\rb\x1b[2J.yaml"]


@pytest.mark.parametrize("name", NAMES)
def test_text_diagnostics_cannot_forge_a_workflow_command(name: str) -> None:
    problem = Problem(name, 1, 2, "yaml-syntax", "bad \x1b[2J value\n::error::also forged")
    text = render_text([problem, Problem(name, 3, 4, "x", "warned", "warning")])
    lines = text.splitlines()
    assert len(lines) == 2
    assert not any(line.lstrip().startswith("::") for line in lines)
    assert not OBEYED.search(text)
    assert lines[0].endswith(":1:2: bad \\x1b[2J value\\n::error::also forged [yaml-syntax]")


def test_ordinary_names_are_unchanged() -> None:
    assert render_text([Problem("data/plan.yaml", 1, 2, "c", "m")]) == "data/plan.yaml:1:2: m [c]\n"


def test_an_unreadable_file_name_cannot_forge_a_command_on_stderr(cli: RunCli, tmp_path: Path) -> None:
    name = tmp_path / "missing\n::error file=x::forged.yaml"
    result = cli("overdue", "--plan", name)
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert not any(line.startswith("::") for line in result.stderr.splitlines())


def test_an_invalid_plan_named_like_a_command_is_reported_inertly(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "::error::x.yaml").write_text("schema_version: [\n", encoding="utf-8")
    result = cli("validate", "::error::x.yaml", "--format", "text")
    assert result.code == 1
    assert result.stdout.startswith("./::error::x.yaml:")
