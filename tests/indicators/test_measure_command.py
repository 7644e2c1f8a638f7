"""`cheplan measure`: one value by hand, through the indicator writer: every other byte kept,
validated before replacing, never recorded twice, each bad input refused with its exit code."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml

from tests.conftest import RunCli
from tests.indicators.sheets import AS_OF, example_plan

FIRST_VALUE = (
    "knife-injury-admissions",
    "--period",
    "2020-Q2",
    "--value",
    "39",
    "--note",
    "From the trauma centres' returns",
    "--organisation",
    "lbs-public-health",
)


def measure(cli: RunCli, plan: Path, *args: str) -> tuple[int, str, str]:
    result = cli("measure", *args, "--plan", plan)
    return result.code, result.stdout, result.stderr


def indicator_values(plan: Path, indicator_id: str) -> list[dict[str, object]] | None:
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    found: list[dict[str, object]] | None = next(i for i in data["indicators"] if i["id"] == indicator_id).get("values")
    return found


def test_a_value_is_appended_and_every_other_byte_kept(cli: RunCli, tmp_path: Path) -> None:
    plan = example_plan(tmp_path)
    os.chmod(plan, 0o640)
    before = plan.read_text(encoding="utf-8")
    code, out, err = measure(cli, plan, *FIRST_VALUE)
    assert code == 0, err
    assert "recorded" in out
    after = plan.read_text(encoding="utf-8")
    inserted = (
        "    values:\n"
        '      - period: "2020-Q2"\n'
        "        value: 39\n"
        "        note: From the trauma centres' returns\n"
        "        organisation: lbs-public-health\n"
    )
    assert after.replace(inserted, "", 1) == before
    assert stat.S_IMODE(plan.stat().st_mode) == 0o640
    code, out, _ = measure(cli, plan, *FIRST_VALUE)
    assert code == 0
    assert "already on record" in out
    assert plan.read_text(encoding="utf-8") == after


def test_a_second_value_follows_the_first_and_a_correction_keeps_both(cli: RunCli, tmp_path: Path) -> None:
    plan = example_plan(tmp_path)
    for period, figure in (("2020-Q2", "24"), ("2020-Q3", "29.5")):
        assert measure(cli, plan, "youth-service-engagement", "--period", period, "--value", figure)[0] == 0
    code, _, err = measure(cli, plan, "youth-service-engagement", "--corrects", "2020-Q3", "--value", "30",
                           "--note", "A late return from one school")  # fmt: skip
    assert code == 0, err
    assert indicator_values(plan, "youth-service-engagement") == [
        {"period": "2020-Q2", "value": 24},
        {"period": "2020-Q3", "value": 29.5},
        {"corrects": "2020-Q3", "value": 30, "note": "A late return from one school"},
    ]
    listing = json.loads(cli("indicators", "--plan", plan, "--as-of", AS_OF, "-f", "json").stdout)
    youth = next(i for i in listing["indicators"] if i["id"] == "youth-service-engagement")
    assert youth["latest"] == {"period": "2020-Q3", "value": 30}
    assert len(youth["values"]) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("youth-service-engagement", "--period", "2020-Q2", "--value", "101"), "over 100, the most a percent can be"),
        (("repeat-exclusions", "--period", "2020-Q2", "--value", "-1"), "below 0"),
        (("repeat-exclusions", "--period", "2020-05", "--value", "3"), "reported by quarter"),
        (("repeat-exclusions", "--period", "2019-Q4", "--value", "3"), "not after the baseline period"),
        (("repeat-exclusions", "--corrects", "2020-Q2", "--value", "3", "--note", "x"), "which has no earlier value"),
    ],
)
def test_a_value_the_plan_would_refuse_changes_nothing(
    cli: RunCli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    plan = example_plan(tmp_path)
    before = plan.read_bytes()
    code, _, err = measure(cli, plan, *args)
    assert code == 1
    assert message in err
    assert plan.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("repeat-exclusions", "--period", "2020-Q2", "--value", "nan"), "not a finite number"),
        (("repeat-exclusions", "--period", "2020-Q2", "--value", "ten"), "is not a number"),
        (("repeat-exclusions", "--period", "2020 Q5", "--value", "3"), "is not a period"),
        (("repeat-exclusions", "--value", "3"), "give --period"),
        (("repeat-exclusions", "--corrects", "2020-Q2", "--value", "3"), "needs a --note"),
        (("no-such-indicator", "--period", "2020-Q2", "--value", "3"), "has no indicator 'no-such-indicator'"),
    ],
)
def test_usage_errors_exit_2_and_change_nothing(
    cli: RunCli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    plan = example_plan(tmp_path)
    before = plan.read_bytes()
    code, _, err = measure(cli, plan, *args)
    assert code == 2
    assert message in err
    assert plan.read_bytes() == before


def test_the_shipped_plan_is_never_written(cli: RunCli) -> None:
    result = cli("measure", "x", "--period", "2020-Q2", "--value", "1")
    assert result.code == 2
    assert "--plan FILE" in result.stderr


def test_an_invalid_plan_is_reported_not_written(cli: RunCli, tmp_path: Path) -> None:
    plan = example_plan(tmp_path)
    plan.write_text(plan.read_text(encoding="utf-8").replace("better: down", "better: sideways", 1), encoding="utf-8")
    before = plan.read_bytes()
    code, _, err = measure(cli, plan, "repeat-exclusions", "--period", "2020-Q2", "--value", "3")
    assert code == 1
    assert "sideways" in err
    assert plan.read_bytes() == before


def test_crlf_plans_keep_their_line_endings(cli: RunCli, tmp_path: Path) -> None:
    plan = example_plan(tmp_path)
    plan.write_bytes(plan.read_bytes().replace(b"\n", b"\r\n"))
    assert measure(cli, plan, "repeat-exclusions", "--period", "2020-Q2", "--value", "97")[0] == 0
    raw = plan.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert b'      - period: "2020-Q2"\r\n        value: 97\r\n' in raw
