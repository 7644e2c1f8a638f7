"""`update --revised-end` and `--rag`: agreed revisions and the lead's rating, each with its reason."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from cheplan.loading.load import validate_paths
from tests.conftest import SHIPPED_PLAN, RunCli

REASON = "Agreed by the board on 2020-12-01: the pilot needs a second quarter."


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    shutil.copyfile(SHIPPED_PLAN, path)
    return path


def progress(cli: RunCli, plan: Path, action_id: int) -> list[dict[str, object]]:
    """The action's log as the validated plan holds it (every field, whatever the outputs show)."""
    validation = validate_paths(plan, [])
    assert validation.plan is not None, validation.errors
    action = validation.plan.action(action_id)
    assert action is not None
    return [dataclasses.asdict(entry) for entry in action.progress]


def test_a_revised_end_without_a_status_repeats_the_status_on_record(cli: RunCli, plan_copy: Path) -> None:
    assert cli("update", "2", "-s", "in_progress", "--date", "2020-09-01", "-p", plan_copy).code == 0
    result = cli("update", "2", "--revised-end", "2021-06", "--note", REASON, "--date", "2020-12-01", "-p", plan_copy)
    assert result.code == 0, result.stderr
    assert (
        result.stdout == f"Action 2: in progress as of 2020-12-01, end revised to 2021-06, recorded in {plan_copy}.\n"
    )
    latest = progress(cli, plan_copy, 2)[-1]
    assert (latest["date"], latest["status"], latest["revised_end"], latest["note"]) == (
        "2020-12-01",
        "in_progress",
        "2021-06",
        REASON,
    )
    assert '        revised_end: "2021-06"\n' in plan_copy.read_text(encoding="utf-8")
    assert cli("validate", plan_copy, "--strict").code == 0


def test_a_revised_end_with_a_status_change(cli: RunCli, plan_copy: Path) -> None:
    args = ("update", "3", "-s", "planned", "--revised-end", "2021-09", "-n", REASON, "--date", "2020-12-01")
    assert cli(*args, "-p", plan_copy).code == 0
    latest = progress(cli, plan_copy, 3)[-1]
    assert (latest["status"], latest["revised_end"]) == ("planned", "2021-09")


def test_without_a_status_on_record_the_entry_says_not_reported(cli: RunCli, plan_copy: Path) -> None:
    assert (
        cli("update", "4", "--revised-end", "2021-06", "-n", REASON, "--date", "2020-12-01", "-p", plan_copy).code == 0
    )
    assert progress(cli, plan_copy, 4)[-1]["status"] == "not_reported"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--revised-end", "2021-06"), "--revised-end needs a --note"),
        (("--revised-end", "2021-06", "--note", "   "), "--revised-end needs a --note"),
        (("--revised-end", "2021-6", "--note", REASON), "--revised-end: '2021-6' is not a month"),
        (("--revised-end", "2021-06-30", "--note", REASON), 'did you mean "2021-06"'),
        (("--revised-end", "Jun-21", "--note", REASON), 'did you mean "2021-06"'),
        (("--rag", "red"), "--rag needs a --note"),
        (("--rag", "purple", "--note", "x"), "purple"),
        (("--note", "Met."), "nothing to record"),
    ],
)
def test_what_cannot_be_recorded_is_a_usage_error(
    cli: RunCli, plan_copy: Path, options: tuple[str, ...], message: str
) -> None:
    before = plan_copy.read_bytes()
    result = cli("update", "2", *options, "--date", "2020-12-01", "-p", plan_copy)
    assert result.code == 2
    assert message in result.stderr
    assert plan_copy.read_bytes() == before


def test_a_rag_rating_is_recorded_with_its_reason(cli: RunCli, plan_copy: Path) -> None:
    reason = "Funding for the second phase is not confirmed."
    result = cli("update", "6", "--rag", "amber", "--note", reason, "--date", "2020-12-01", "-p", plan_copy)
    assert result.code == 0, result.stderr
    assert result.stdout == f"Action 6: not reported as of 2020-12-01, rated amber, recorded in {plan_copy}.\n"
    latest = progress(cli, plan_copy, 6)[-1]
    assert (latest["rag"], latest["note"]) == ("amber", reason)
    # The same rating again is already on record.
    again = cli("update", "6", "--rag", "amber", "--note", reason, "--date", "2020-12-01", "-p", plan_copy)
    assert again.code == 0
    assert "already on record" in again.stdout
    assert len(progress(cli, plan_copy, 6)) == 1


def test_the_existing_status_option_still_works_alone(cli: RunCli, plan_copy: Path) -> None:
    assert cli("update", "7", "--status", "complete", "--date", "2020-12-01", "-p", plan_copy).code == 0
    assert progress(cli, plan_copy, 7)[-1]["status"] == "complete"
