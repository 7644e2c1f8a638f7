"""Done when: four quarters of values returned through a LibreOffice-saved Measures sheet, and a
correction recorded by hand, give the right status for each kind of indicator, in `indicators`
and in the board report's Outcomes section."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from tests.conftest import RunCli, require_client
from tests.indicators.sheets import (
    AS_OF,
    FOUR_QUARTERS,
    example_plan,
    export_measures,
    fill_measures,
    resave_with_libreoffice,
)

EXPECTED = {
    "youth-service-engagement": "on_track",  # up is better: 41% against a line at 40%
    "knife-injury-admissions": "off_track",  # down is better: 36 against a line at 28
    "drug-service-referrals": "no_data",  # left blank
    "repeat-exclusions": "on_track",  # 90 (off track), corrected to 79
}


@pytest.mark.external
def test_values_from_a_libreoffice_saved_measures_sheet(cli: RunCli, tmp_path: Path) -> None:
    soffice = require_client("soffice")
    plan = example_plan(tmp_path)
    exported = export_measures(cli, plan, tmp_path / "out")
    sheet = openpyxl.load_workbook(exported)["Measures"]
    assert [sheet.cell(row=1, column=c).value for c in (1, 8, 9, 10)] == [
        "Indicator ID",
        "Period 1",
        "Value 1",
        "Note 1",
    ]
    filled = fill_measures(exported, FOUR_QUARTERS, tmp_path / "filled.xlsx", {"youth-service-engagement": "Q2 audit"})
    converted = resave_with_libreoffice(soffice, filled, tmp_path)
    assert converted.read_bytes() != filled.read_bytes()

    result = cli("returns", "import", converted, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert result.code == 0, result.stdout + result.stderr
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    values = {i["id"]: i.get("values") for i in data["indicators"]}
    assert values["youth-service-engagement"][0] == {
        "period": "2020-Q2",
        "value": 24,
        "note": "Q2 audit",
        "organisation": "lbs-public-health",
    }
    assert [v["value"] for v in values["knife-injury-admissions"]] == [39, 38, 37, 36]
    assert values["drug-service-referrals"] is None
    again = cli("returns", "import", converted, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert again.code == 0
    assert "12 values already on record" in again.stdout, again.stdout

    before = cli("indicators", "--plan", plan, "--as-of", AS_OF, "--format", "json")
    assert {i["id"]: i["status"] for i in json.loads(before.stdout)["indicators"]}["repeat-exclusions"] == "off_track"
    corrected = cli(
        "measure", "repeat-exclusions", "--corrects", "2021-Q1", "--value", "79",
        "--note", "Two exclusions overturned on appeal", "--plan", plan,
    )  # fmt: skip
    assert corrected.code == 0, corrected.stderr

    listing = json.loads(cli("indicators", "--plan", plan, "--as-of", AS_OF, "--format", "json").stdout)
    assert {i["id"]: i["status"] for i in listing["indicators"]} == EXPECTED
    exclusions = next(i for i in listing["indicators"] if i["id"] == "repeat-exclusions")
    assert exclusions["latest"] == {"period": "2021-Q1", "value": 79}
    assert exclusions["values"][-2:] == [
        {"period": "2021-Q1", "value": 90, "note": "", "organisation": "lbs-public-health", "corrects": None},
        {"period": None, "value": 79, "note": "Two exclusions overturned on appeal", "organisation": None,
         "corrects": "2021-Q1"},
    ]  # fmt: skip
    table = cli("indicators", "--plan", plan, "--as-of", AS_OF)
    assert "2 on track, 1 off track, 1 no data (drug-service-referrals)" in " ".join(table.stdout.split())

    report = cli("report", "--plan", plan, "--as-of", AS_OF, "--format", "markdown")
    assert report.code == 0, report.stderr
    outcomes = report.stdout.split("## Outcomes", 1)[1]
    for indicator_id, status in EXPECTED.items():
        assert indicator_id in outcomes
        assert status.replace("_", " ") in outcomes
