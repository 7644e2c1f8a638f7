"""`cheplan update`: dated progress appended in place, every other byte kept, written atomically."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cheplan.domain.errors import UsageError
from cheplan.domain.model import ProgressEntry
from cheplan.editing.blocks import find_action
from cheplan.editing.files import locked_plan, write_atomically
from cheplan.editing.update import edit_action, split_newlines
from tests.conftest import SHIPPED_PLAN, MakePlan, RunCli, base_action


def add_progress(
    text: str, action_id: int, entry: ProgressEntry, *, name: str = "plan", status_after: str | None = None
) -> str:
    """`text` with `entry` appended to action `action_id`'s progress and its `status` field set.

    The status field becomes `status_after` (default the entry's status): what the latest-dated
    entry says, so that the `status-mismatch` check stays quiet.
    """
    plain, newline = split_newlines(text, name)
    block = find_action(plain, action_id, name)
    if block is None:
        raise UsageError(f"no action {action_id} found in {name}")
    return edit_action(plain, block, entry, status_after or entry.status, name=name).text.replace("\n", newline)


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    """The shipped plan, copied where a test may change it."""
    path = tmp_path / "plan.yaml"
    shutil.copyfile(SHIPPED_PLAN, path)
    return path


def block_lines(text: str, action_id: int) -> range:
    """0-based line numbers of an action's block, from `- id: N` to the next action."""
    lines = text.splitlines()
    start = lines.index(f"  - id: {action_id}")
    following = [i for i, line in enumerate(lines) if line.startswith("  - id: ") and i > start]
    return range(start, following[0] if following else len(lines))


def changed_lines(before: str, after: str) -> list[tuple[str, int, int]]:
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    return [(tag, i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]


@pytest.mark.parametrize("action_id", range(1, 39))
def test_every_shipped_action_can_be_updated_changing_only_its_block(action_id: int) -> None:
    text = SHIPPED_PLAN.read_text(encoding="utf-8")
    edited = add_progress(text, action_id, ProgressEntry(date="2020-10-01", status="in_progress", note="Met."))
    block = block_lines(text, action_id)
    changes = changed_lines(text, edited)
    assert changes
    for _, first, last in changes:
        assert block.start <= first <= last <= block.stop
    assert '      - date: "2020-10-01"\n        status: in_progress\n        note: Met.\n' in edited


def test_update_changes_only_the_actions_block(cli: RunCli, plan_copy: Path) -> None:
    before = plan_copy.read_text(encoding="utf-8")
    result = cli(
        "update", "5", "--status", "in_progress", "--note", "Partners met on 1 October.", "--date", "2020-10-01",
        "--plan", plan_copy,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert result.stdout == f"Action 5: in progress as of 2020-10-01, recorded in {plan_copy}.\n"
    after = plan_copy.read_text(encoding="utf-8")
    block = block_lines(before, 5)
    changes = changed_lines(before, after)
    assert changes, "the file must change"
    for _, first, last in changes:
        assert block.start <= first <= last <= block.stop
    status_line = before.splitlines().index("    status: not_reported", block.start)
    assert after.splitlines()[status_line : status_line + 6] == [
        "    status: in_progress",
        "    progress:",
        '      - date: "2020-10-01"',
        "        status: in_progress",
        "        note: Partners met on 1 October.",
        "    source_notes:",
    ]
    validate = cli("validate", plan_copy, "--strict")
    assert validate.code == 0, validate.stdout + validate.stderr  # no status-mismatch warning either


def test_update_of_an_action_ending_in_status_keeps_the_blank_line_between_actions(
    cli: RunCli, plan_copy: Path
) -> None:
    before = plan_copy.read_text(encoding="utf-8")
    result = cli("update", "7", "-s", "complete", "-n", "Done.", "--by", "MPS", "--date", "2020-09-20", "-p", plan_copy)
    assert result.code == 0
    after = plan_copy.read_text(encoding="utf-8").splitlines()
    start = after.index("  - id: 7")
    block = after[start : after.index("  - id: 8")]
    assert block[-7:] == [
        "    status: complete",
        "    progress:",
        '      - date: "2020-09-20"',
        "        status: complete",
        "        note: Done.",
        "        by: MPS",
        "",
    ]
    for _, first, last in changed_lines(before, "\n".join(after) + "\n"):
        assert block_lines(before, 7).start <= first <= last <= block_lines(before, 7).stop


def test_a_second_update_appends_to_the_log(cli: RunCli, plan_copy: Path) -> None:
    assert cli("update", "38", "-s", "planned", "--date", "2020-09-01", "-p", plan_copy).code == 0
    result = cli("update", "38", "-s", "in_progress", "-n", "Started: pilot", "--date", "2020-10-01", "-p", plan_copy)
    assert result.code == 0
    text = plan_copy.read_text(encoding="utf-8")
    actions_text = text.partition("\n\n# The partner organisations")[0] + "\n"  # the directory follows action 38
    assert actions_text.endswith(
        "    status: in_progress\n"
        "    progress:\n"
        '      - date: "2020-09-01"\n'
        "        status: planned\n"
        '      - date: "2020-10-01"\n'
        "        status: in_progress\n"
        "        note: 'Started: pilot'\n"
    )
    shown = json.loads(cli("actions", "38", "-p", plan_copy, "-f", "json").stdout)
    assert [(p["date"], p["status"], p["note"]) for p in shown["progress"]] == [
        ("2020-09-01", "planned", ""),
        ("2020-10-01", "in_progress", "Started: pilot"),
    ]


def test_a_completed_action_leaves_the_overdue_list(cli: RunCli, plan_copy: Path) -> None:
    def overdue_ids() -> list[int]:
        result = cli("overdue", "-p", plan_copy, "--as-of", "2020-10-01", "-f", "json")
        return [row["id"] for row in json.loads(result.stdout)]

    assert 22 in overdue_ids()
    assert cli("update", "22", "-s", "complete", "-n", "Delivered.", "--date", "2020-09-01", "-p", plan_copy).code == 0
    assert 22 not in overdue_ids()
    assert cli("update", "1", "-s", "in_progress", "--date", "2020-09-01", "-p", plan_copy).code == 0
    rows = json.loads(cli("overdue", "-p", plan_copy, "--as-of", "2020-10-01", "-f", "json").stdout)
    assert next(r for r in rows if r["id"] == 1)["last_update"] == "2020-09-01"


def test_dropped_without_a_reason_is_refused_and_the_file_is_untouched(cli: RunCli, plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    result = cli("update", "3", "--status", "dropped", "--date", "2020-10-01", "-p", plan_copy)
    assert result.code == 1
    assert "dropped-without-reason" in result.stderr
    assert "not changed" in result.stderr
    assert plan_copy.read_bytes() == before
    assert sorted(os.listdir(plan_copy.parent)) == ["plan.yaml"]
    assert cli("update", "3", "--status", "dropped", "--note", "   ", "-p", plan_copy).code == 1  # blank is no reason
    assert plan_copy.read_bytes() == before


def test_dropped_with_a_reason_is_recorded(cli: RunCli, plan_copy: Path) -> None:
    result = cli("update", "3", "-s", "dropped", "-n", "Merged into action 2.", "--date", "2020-10-01", "-p", plan_copy)
    assert result.code == 0
    assert cli("validate", plan_copy, "--strict").code == 0


def test_unknown_action_is_a_usage_error(cli: RunCli, plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    result = cli("update", "99", "--status", "complete", "-p", plan_copy)
    assert result.code == 2
    assert "no action 99" in result.stderr
    assert plan_copy.read_bytes() == before


@pytest.mark.parametrize("bad", ["2020-02-30", "2020-13-01", "1/10/2020"])
def test_bad_date_is_a_usage_error(cli: RunCli, plan_copy: Path, bad: str) -> None:
    before = plan_copy.read_bytes()
    result = cli("update", "1", "--status", "complete", "--date", bad, "-p", plan_copy)
    assert result.code == 2
    assert "--date" in result.stderr
    assert plan_copy.read_bytes() == before


def test_unknown_status_is_a_usage_error(cli: RunCli, plan_copy: Path) -> None:
    assert cli("update", "1", "--status", "finished", "-p", plan_copy).code == 2


def test_date_defaults_to_today(cli: RunCli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Today(date):
        @classmethod
        def today(cls) -> Today:
            return cls(2020, 11, 22)

    monkeypatch.setattr("cheplan.cli.commands.output.date", Today)
    assert cli("update", "1", "--status", "planned", "-p", plan_copy).code == 0
    assert '      - date: "2020-11-22"\n' in plan_copy.read_text(encoding="utf-8")


def test_an_invalid_plan_is_not_edited(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, end="2020-13")])
    before = plan.read_bytes()
    result = cli("update", "1", "--status", "planned", "-p", plan)
    assert result.code == 1
    assert "not a month" in result.stderr
    assert plan.read_bytes() == before


def test_a_failed_rename_leaves_the_original_and_no_temporary_file(
    cli: RunCli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = plan_copy.read_bytes()

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = cli("update", "1", "--status", "complete", "--note", "Done.", "-p", plan_copy)
    assert result.code == 1
    assert "No space left on device" in result.stderr
    assert plan_copy.read_bytes() == before
    assert sorted(os.listdir(plan_copy.parent)) == ["plan.yaml"]


def test_any_failure_while_writing_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("original\n", encoding="utf-8")

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt), locked_plan(path, "plan.yaml") as plan:
        write_atomically(plan, "new\n")
    assert path.read_text(encoding="utf-8") == "original\n"
    assert os.listdir(tmp_path) == ["plan.yaml"]


def test_file_mode_is_kept(cli: RunCli, plan_copy: Path) -> None:
    plan_copy.chmod(0o640)
    assert cli("update", "1", "--status", "planned", "--date", "2020-05-01", "-p", plan_copy).code == 0
    assert stat.S_IMODE(plan_copy.stat().st_mode) == 0o640


def test_a_symlinked_plan_stays_a_symlink(cli: RunCli, plan_copy: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.yaml"
    link.symlink_to(plan_copy)
    assert cli("update", "1", "--status", "planned", "--date", "2020-05-01", "-p", link).code == 0
    assert link.is_symlink()
    assert "status: planned" in plan_copy.read_text(encoding="utf-8")


def test_crlf_line_endings_and_bom_are_kept(cli: RunCli, plan_copy: Path) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    plan_copy.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert cli("update", "1", "--status", "planned", "--date", "2020-05-01", "-p", plan_copy).code == 0
    raw = plan_copy.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# yaml-language-server")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert b'    progress:\r\n      - date: "2020-05-01"\r\n        status: planned\r\n' in raw


def test_a_plan_written_by_pyyaml_keeps_its_layout(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, end="2020-09"), base_action(2)])
    before = plan.read_text(encoding="utf-8")
    assert cli("update", "1", "--status", "complete", "-n", "Done.", "--date", "2020-09-01", "-p", plan).code == 0
    after = plan.read_text(encoding="utf-8")
    inserted = '  status: complete\n  progress:\n  - date: "2020-09-01"\n    status: complete\n    note: Done.\n'
    assert inserted + "- id: 2\n" in after
    assert len(changed_lines(before, after)) == 1


def test_any_layout_outside_the_block_is_kept_byte_for_byte(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1), base_action(2)])
    text = plan.read_text(encoding="utf-8").replace("  title: Test plan", "  title:    'Test plan'   # odd")
    text = text.replace("- id: 2\n", "- id: 2   # second\n  # a note\n")
    plan.write_text(text, encoding="utf-8")
    assert cli("update", "1", "--status", "planned", "--date", "2020-05-01", "-p", plan).code == 0
    after = plan.read_text(encoding="utf-8")
    head, _, tail = text.partition("- id: 1\n")
    assert after.startswith(head)
    assert after.endswith(tail[tail.index("- id: 2") :])


def test_a_layout_cheplan_cannot_edit_is_refused(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, progress=[{"date": "2020-05-01", "status": "planned"}])])
    text = plan.read_text(encoding="utf-8")
    text = text.replace(
        "  progress:\n  - date: '2020-05-01'\n    status: planned\n",
        "  progress: [{date: '2020-05-01', status: planned}]\n",
    )
    assert "progress: [{" in text
    plan.write_text(text, encoding="utf-8")
    result = cli("update", "1", "--status", "in_progress", "--date", "2020-06-01", "-p", plan)
    assert result.code == 1
    assert "not written as a block list" in result.stderr
    assert plan.read_text(encoding="utf-8") == text


def test_long_notes_fold_and_special_characters_read_back(cli: RunCli, plan_copy: Path) -> None:
    long_note = " ".join(["The task and finish group met and agreed a common enforcement toolkit."] * 3)
    assert cli("update", "33", "-s", "in_progress", "-n", long_note, "--date", "2020-09-01", "-p", plan_copy).code == 0
    tricky = "Reviewed: 'toolkit' #2 — \"agreed\"; next: MPS & LBS"
    assert cli("update", "33", "-s", "in_progress", "-n", tricky, "--date", "2020-09-02", "-p", plan_copy).code == 0
    text = plan_copy.read_text(encoding="utf-8")
    assert "        note: >-\n          The task and finish group" in text
    assert max(len(line) for line in text.splitlines()) <= 106  # as wide as the source transcription
    shown = json.loads(cli("actions", "33", "-p", plan_copy, "-f", "json").stdout)
    assert [p["note"] for p in shown["progress"]] == [long_note, tricky]


def test_an_earlier_dated_entry_is_inserted_in_date_order(cli: RunCli, plan_copy: Path) -> None:
    assert cli("update", "1", "--status", "in_progress", "--date", "2020-06-01", "-p", plan_copy).code == 0
    result = cli("update", "1", "--status", "planned", "--date", "2020-05-01", "-p", plan_copy)
    assert result.code == 0
    assert "progress-order" not in result.stderr
    assert "stays in progress" in result.stderr
    text = plan_copy.read_text(encoding="utf-8")
    assert text.index('"2020-05-01"') < text.index('"2020-06-01"')
    assert cli("validate", "--strict", plan_copy).code == 0
    # The later-dated entry still sets the status, and the status field says so too.
    assert "    status: in_progress\n    progress:\n" in plan_copy.read_text(encoding="utf-8")
    assert "status-mismatch" not in cli("validate", plan_copy).stdout


@pytest.mark.parametrize("text", ["yes", "off", "~", "123", "2020-01-01", "two\nlines", "- a list?", "x: y # z"])
def test_notes_that_yaml_would_misread_are_quoted(cli: RunCli, plan_copy: Path, text: str) -> None:
    result = cli("update", "2", "-s", "in_progress", "-n", text, "--by", text, "--date", "2020-05-01", "-p", plan_copy)
    assert result.code == 0, result.stderr
    shown = json.loads(cli("actions", "2", "-p", plan_copy, "-f", "json").stdout)
    assert (shown["progress"][-1]["note"], shown["progress"][-1]["by"]) == (text, text)


EDGE_CASES = """\
schema_version: 1
actions:
  - id: 1
    status: not_reported  # awaiting MPS

  # Enforcement actions
  - id: 2
    progress: []
    # about action 2

  - id: 3
    progress:
      - date: "2020-01-01"
        status: planned
        note: >-
          a folded
          note

  - id: 4
    lead: [a, b]
"""


@pytest.mark.parametrize(
    ("action_id", "expected"),
    [
        (
            1,
            # The comment keeps its column.
            "    status: in_progress   # awaiting MPS\n    progress:\n"
            '      - date: "2020-10-01"\n        status: in_progress\n\n  # Enforcement actions\n  - id: 2\n',
        ),
        (
            2,
            '    status: in_progress\n    progress:\n      - date: "2020-10-01"\n        status: in_progress\n'
            "    # about action 2\n\n  - id: 3\n",
        ),
        (
            3,
            # No status field: it goes before the log, as in the shipped order.
            '  - id: 3\n    status: in_progress\n    progress:\n      - date: "2020-01-01"\n        status: planned\n'
            '        note: >-\n          a folded\n          note\n      - date: "2020-10-01"\n'
            "        status: in_progress\n\n  - id: 4\n",
        ),
        (4, '    lead: [a, b]\n    status: in_progress\n    progress:\n      - date: "2020-10-01"\n'),
    ],
)
def test_comments_and_blank_lines_stay_where_they_belong(action_id: int, expected: str) -> None:
    edited = add_progress(EDGE_CASES, action_id, ProgressEntry(date="2020-10-01", status="in_progress"))
    assert expected in edited
    for _, first, last in changed_lines(EDGE_CASES, edited):
        block = block_lines(EDGE_CASES, action_id)
        assert block.start <= first <= last <= block.stop


def test_update_needs_an_explicit_plan_file(cli: RunCli) -> None:
    before = SHIPPED_PLAN.read_bytes()
    result = cli("update", "5", "--status", "in_progress", "--note", "x", "--date", "2020-06-01")
    assert result.code == 2
    assert "--plan" in result.stderr
    assert SHIPPED_PLAN.read_bytes() == before


def test_mixed_line_endings_are_refused_untouched(cli: RunCli, plan_copy: Path) -> None:
    raw = plan_copy.read_bytes().replace(b"\n", b"\r\n", 3)  # CRLF on the first lines only
    plan_copy.write_bytes(raw)
    result = cli("update", "5", "--status", "in_progress", "--note", "x", "--date", "2020-06-01", "--plan", plan_copy)
    assert result.code == 1
    assert "mixes CRLF and LF" in result.stderr
    assert plan_copy.read_bytes() == raw


def test_concurrent_updates_both_land(plan_copy: Path) -> None:
    """Two officers recording at the same moment: neither entry may be lost."""
    import subprocess
    import sys

    env = {**os.environ, "CHEPLAN_NO_CACHE": "1"}
    for round_number in range(3):
        runs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "cheplan",
                    "update",
                    str(action),
                    "--status",
                    "in_progress",
                    "--note",
                    f"round {round_number}",
                    "--date",
                    f"2020-0{round_number + 5}-01",
                    "--plan",
                    str(plan_copy),
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for action in (31, 32)
        ]
        assert [run.wait(timeout=60) for run in runs] == [0, 0]
    text = plan_copy.read_text(encoding="utf-8")
    for round_number in range(3):
        assert text.count(f"round {round_number}") == 2, text


ODD_LAYOUTS = {
    "null progress": ("  - id: 1\n    status: planned\n    progress:\n  - id: 2\n", "    progress:\n      - date"),
    "tilde progress": ("  - id: 1\n    progress: ~   # none yet\n", "    progress:   # none yet\n      - date"),
    # The parser counts NEL and LS as line breaks; positions after them must still be right.
    "line separator in text": (
        '  - id: 1\n    action: "first\u2028second\x85third"\n    status: planned\n',
        "    status: in_progress\n    progress:\n      - date",
    ),
    "dash alone on its line": (
        "  -\n    id: 1\n    status: planned\n  -\n    id: 2\n",
        "    id: 1\n    status: in_progress\n    progress:\n      - date",
    ),
    "no final newline": ("  - id: 1\n    status: planned", "    status: in_progress\n    progress:\n      - date"),
    "wide list": (
        "  - id: 1\n    progress:\n        -   date: '2020-01-01'\n            status: planned\n",
        "        -   date",
    ),
}


@pytest.mark.parametrize("name", ODD_LAYOUTS)
def test_odd_but_valid_layouts_are_edited_in_their_own_style(name: str) -> None:
    actions, expected = ODD_LAYOUTS[name]
    text = "schema_version: 1\nactions:\n" + actions
    edited = add_progress(text, 1, ProgressEntry(date="2020-10-01", status="in_progress"))
    assert expected in edited
    assert edited.startswith("schema_version: 1\nactions:\n")
    if "id: 2" in text:
        assert edited.endswith(text[text.rindex("  -") :])


@settings(max_examples=60, deadline=None)
@given(note=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=300), by=st.text(min_size=1))
def test_any_note_reads_back_exactly(note: str, by: str) -> None:
    from cheplan.loading.safe_yaml import parse_yaml

    text = EDGE_CASES
    edited = add_progress(text, 3, ProgressEntry(date="2020-10-01", status="in_progress", note=note, by=by))
    data = parse_yaml(edited, "plan").data
    assert data["actions"][2]["progress"][-1] == {"date": "2020-10-01", "status": "in_progress", "note": note, "by": by}
    assert edited.startswith(text[: text.index("  - id: 3")])
    assert edited.endswith(text[text.index("  - id: 4") :])


@pytest.mark.parametrize("indent", [2, 4, 8])
@pytest.mark.parametrize("flow", [False, None])
@pytest.mark.parametrize("width", [20, 1000])
@pytest.mark.parametrize("sort_keys", [False, True])
def test_plans_in_any_block_layout_pyyaml_writes_can_be_updated(
    indent: int, flow: bool | None, width: int, sort_keys: bool
) -> None:
    from cheplan.loading.safe_yaml import parse_yaml
    from tests.conftest import plan_data

    logged = {"date": "2020-05-01", "status": "planned", "note": "Kick-off."}
    data = plan_data([base_action(1), base_action(2, progress=[logged]), base_action(3, status="planned")])
    text = yaml.safe_dump(data, sort_keys=sort_keys, indent=indent, default_flow_style=flow, width=width)
    note = "A note long enough to be folded over more than one line of the file, " * 2
    for action_id in (1, 2, 3):
        edited = add_progress(
            text, action_id, ProgressEntry(date="2020-10-01", status="in_progress", note=note.strip(), by="MPS")
        )
        actions = parse_yaml(edited, "plan").data["actions"]
        assert actions[action_id - 1]["progress"][-1] == {
            "date": "2020-10-01",
            "status": "in_progress",
            "note": note.strip(),
            "by": "MPS",
        }
        assert actions[action_id - 1]["status"] == "in_progress"
        assert [a for a in actions if a["id"] != action_id] == [a for a in data["actions"] if a["id"] != action_id]
