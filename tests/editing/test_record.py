"""`record_progress`: the library API that `update` and `returns import` share."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from cheplan.domain.errors import InvalidPlanError, UsageError, WriteRefusedError
from cheplan.domain.model import ProgressEntry
from cheplan.editing.record import record_progress
from cheplan.loading.load import validate_paths
from tests.conftest import SHIPPED_PLAN, MakePlan, base_action

TODAY = date(2021, 1, 15)


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    shutil.copyfile(SHIPPED_PLAN, path)
    return path


def progress_of(plan: Path, action_id: int) -> list[tuple[str, str, str]]:
    validation = validate_paths(plan, [])
    assert validation.plan is not None, validation.errors
    action = validation.plan.action(action_id)
    assert action is not None
    return [(p.date, p.status, p.note) for p in action.progress]


def test_many_entries_are_recorded_in_one_write(plan_copy: Path) -> None:
    entries = [
        (5, ProgressEntry(date="2020-10-01", status="in_progress", note="Met.")),
        (6, ProgressEntry(date="2020-10-02", status="complete", note="Done.")),
        (5, ProgressEntry(date="2020-11-01", status="complete", note="Finished.")),
    ]
    outcome = record_progress(plan_copy, entries, registers=None, today=TODAY)
    assert [(o.action_id, o.recorded, o.status_after) for o in outcome.entries] == [
        (5, True, "in_progress"),
        (6, True, "complete"),
        (5, True, "complete"),
    ]
    assert outcome.written
    assert progress_of(plan_copy, 5) == [("2020-10-01", "in_progress", "Met."), ("2020-11-01", "complete", "Finished.")]
    assert progress_of(plan_copy, 6) == [("2020-10-02", "complete", "Done.")]


def test_all_or_nothing_when_one_entry_is_refused(plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    entries = [
        (5, ProgressEntry(date="2020-10-01", status="in_progress")),
        (99, ProgressEntry(date="2020-10-01", status="complete")),
    ]
    with pytest.raises(UsageError, match="no action 99"):
        record_progress(plan_copy, entries, registers=None, today=TODAY)
    entries = [
        (5, ProgressEntry(date="2020-10-01", status="in_progress")),
        (6, ProgressEntry(date="2020-10-01", status="dropped")),
    ]
    with pytest.raises(WriteRefusedError) as refused:
        record_progress(plan_copy, entries, registers=None, today=TODAY)
    assert [p.code for p in refused.value.problems] == ["dropped-without-reason"]
    assert plan_copy.read_bytes() == before


def test_an_entry_already_on_record_is_a_no_op(plan_copy: Path) -> None:
    entry = ProgressEntry(date="2020-10-01", status="in_progress", note="Met.", by="MPS")
    assert record_progress(plan_copy, [(5, entry)], registers=None, today=TODAY).written
    written = plan_copy.read_bytes()
    again = record_progress(plan_copy, [(5, entry)], registers=None, today=TODAY)
    assert [(o.recorded, o.status_after) for o in again.entries] == [(False, "in_progress")]
    assert not again.written
    assert plan_copy.read_bytes() == written
    # Any difference is a new entry.
    other = ProgressEntry(date="2020-10-01", status="in_progress", note="Met.", by="LBS")
    assert record_progress(plan_copy, [(5, other)], registers=None, today=TODAY).written


def test_a_superseded_entry_says_so_as_data(plan_copy: Path) -> None:
    record_progress(
        plan_copy, [(1, ProgressEntry(date="2020-06-01", status="in_progress"))], registers=None, today=TODAY
    )
    outcome = record_progress(
        plan_copy, [(1, ProgressEntry(date="2020-05-01", status="planned"))], registers=None, today=TODAY
    )
    (entry,) = outcome.entries
    assert entry.status_after == "in_progress"
    assert entry.notes == ("the entry of 2020-06-01 is later; action 1 stays in progress",)
    # The earlier entry goes before the later one: the log stays oldest first, nothing to warn of.
    assert outcome.warnings == ()
    dates = [e["date"] for e in yaml.safe_load(plan_copy.read_text(encoding="utf-8"))["actions"][0]["progress"]]
    assert dates == sorted(dates)


def test_a_date_after_today_is_a_usage_error(plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    with pytest.raises(UsageError, match="after today"):
        record_progress(
            plan_copy, [(1, ProgressEntry(date="2021-01-16", status="planned"))], registers=None, today=TODAY
        )
    assert plan_copy.read_bytes() == before


def test_an_invalid_plan_is_reported_as_invalid(make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, end="2020-13")])
    with pytest.raises(InvalidPlanError):
        record_progress(plan, [(1, ProgressEntry(date="2020-06-01", status="planned"))], registers=None, today=TODAY)


def test_a_revised_end_repeats_the_status_on_record(plan_copy: Path) -> None:
    record_progress(
        plan_copy, [(2, ProgressEntry(date="2020-09-01", status="in_progress"))], registers=None, today=TODAY
    )
    # Built with another status: keep_status replaces it with the one on record on its date.
    revision = ProgressEntry(
        date="2020-12-01", status="planned", note="Agreed by the board on 2020-12-01.", revised_end="2021-06"
    )
    outcome = record_progress(plan_copy, [(2, revision)], registers=None, today=TODAY, keep_status=True)
    assert outcome.entries[0].entry.status == "in_progress"
    validation = validate_paths(plan_copy, [])
    assert validation.plan is not None
    action = validation.plan.action(2)
    assert action is not None
    assert action.progress[-1].revised_end == "2021-06"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            ProgressEntry(date="2020-12-01", status="in_progress", revised_end="2021-06"),
            "has no note; say who agreed it",
        ),
        (ProgressEntry(date="2020-12-01", status="in_progress", note="x", revised_end="2021-6"), "not a month"),
        (ProgressEntry(date="2020-12-01", status="in_progress", rag="red", note=" "), "has no note giving the reason"),
        (ProgressEntry(date="2020-12-01", status="in_progress", rag="purple", note="x"), "not one of"),  # type: ignore[arg-type]
    ],
)
def test_revisions_and_ratings_are_checked_before_reading(plan_copy: Path, entry: ProgressEntry, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        record_progress(plan_copy, [(2, entry)], registers=None, today=TODAY, keep_status=True)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (ProgressEntry(date="2020-12-01", status="done"), "'done' is not a status"),  # type: ignore[arg-type]
        (ProgressEntry(date="2020-12-01", status="planned", note="caf\udce9"), "not valid UTF-8"),
        (ProgressEntry(date="2020-12-1", status="planned"), "is not a date"),
    ],
)
def test_entries_a_caller_built_wrong_are_usage_errors(plan_copy: Path, entry: ProgressEntry, message: str) -> None:
    before = plan_copy.read_bytes()
    with pytest.raises(UsageError, match=message):
        record_progress(plan_copy, [(2, entry)], registers=None, today=TODAY)
    assert plan_copy.read_bytes() == before


def test_a_crlf_plan_keeps_its_endings_and_a_retry_is_a_no_op(plan_copy: Path) -> None:
    plan_copy.write_bytes(plan_copy.read_bytes().replace(b"\n", b"\r\n"))
    entry = ProgressEntry(date="2020-10-01", status="in_progress", note="Met.")
    assert record_progress(plan_copy, [(5, entry)], registers=None, today=TODAY).written
    written = plan_copy.read_bytes()
    assert written.count(b"\n") == written.count(b"\r\n")
    assert not record_progress(plan_copy, [(5, entry)], registers=None, today=TODAY).written
    assert plan_copy.read_bytes() == written


def test_many_entries_take_one_read_one_validation_and_one_write(
    plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cheplan.editing import record
    from cheplan.editing.files import PlanFile, write_atomically
    from cheplan.loading.load import validate_sources

    calls = {"read": 0, "validate": 0, "write": 0}

    def counted(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(PlanFile, "read_text", counted("read", PlanFile.read_text))
    monkeypatch.setattr(record, "validate_sources", counted("validate", validate_sources))
    monkeypatch.setattr(record, "write_atomically", counted("write", write_atomically))
    entries = [(n, ProgressEntry(date="2020-10-01", status="in_progress", note=f"Entry {n}.")) for n in range(1, 39)]
    outcome = record_progress(plan_copy, entries, registers=None, today=TODAY)
    assert [o.recorded for o in outcome.entries] == [True] * 38
    assert calls == {"read": 1, "validate": 1, "write": 1}
    assert all(progress_of(plan_copy, n)[-1] == ("2020-10-01", "in_progress", f"Entry {n}.") for n in range(1, 39))


def test_update_does_not_load_a_round_trip_yaml_library() -> None:
    """The whole file is never re-serialised: the edit is text inserted in one action's block."""
    import subprocess
    import sys

    code = (
        "import sys, shutil, tempfile, pathlib, datetime\n"
        "from cheplan.editing.record import record_progress\n"
        "from cheplan.domain.model import ProgressEntry\n"
        f"plan = pathlib.Path(tempfile.mkdtemp()) / 'plan.yaml'; shutil.copyfile({str(SHIPPED_PLAN)!r}, plan)\n"
        "record_progress(plan, [(5, ProgressEntry(date='2020-10-01', status='planned'))], registers=None,"
        " today=datetime.date(2021, 1, 1))\n"
        "print(sorted(m for m in sys.modules if m.startswith('ruamel')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout == "[]\n"
