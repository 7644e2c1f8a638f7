"""`cheplan show ID` / `cheplan actions ID`: one action in full, with the text of each
recommendation it implements and, where there is no text, why not."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from cheplan.loading.load import validate_paths
from cheplan.outputs.action_listings import action_detail_listing
from tests.conftest import SHIPPED_REGISTER, MakePlan, RunCli, base_action


def show_json(cli: RunCli, *args: str | Path) -> dict[str, Any]:
    result = cli("show", *args, "--format", "json")
    assert result.code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def texts(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in data["recommendation_texts"]}


def register_text(reference: str) -> str:
    raw = yaml.safe_load(SHIPPED_REGISTER.read_text(encoding="utf-8"))
    return str(next(r["text"] for r in raw["recommendations"] if r["id"] == reference))


def test_each_recommendation_text_verbatim(cli: RunCli) -> None:
    data = show_json(cli, "2")
    assert data["id"] == 2
    assert data["recommendations"] == [
        "SELR-2",
        "SELR-3",
        "LVRU-Gov-1",
        "LVRU-Gov-2",
        "LVRU-TarLaw-4",
        "LVRU-ProtEd-4",
        "LVRU-StanCom-2",
    ]
    by_id = texts(data)
    assert by_id["SELR-3"]["text"] == register_text("SELR-3")
    assert by_id["SELR-3"]["title"] == "Shared narrative"
    assert by_id["SELR-3"]["section"] == "Governance and understanding the problem"
    assert by_id["SELR-3"]["missing"] is None


def test_says_why_a_reference_has_no_text(cli: RunCli) -> None:
    by_id = texts(show_json(cli, "2"))
    tarlaw = by_id["LVRU-TarLaw-4"]
    assert tarlaw["text"] is None
    assert tarlaw["source"] == "LVRU"
    # cheplan's gloss of the Knife Crime Strategy theme code, so the reader knows what is cited.
    assert tarlaw["missing"] == "Knife Crime Strategy theme “Targeting lawbreakers”, item 4; no LVRU register loaded"
    jsna = texts(show_json(cli, "1"))["JSNA-1.7"]
    assert jsna["missing"] == "no JSNA register loaded"


def test_a_loaded_register_supplies_the_text(cli: RunCli, make_plan: MakePlan, tmp_path: Path) -> None:
    jsna = tmp_path / "jsna.yaml"
    register = {
        "schema_version": 1,
        "source": {"code": "JSNA", "title": "Joint Strategic Needs Assessment"},
        "sections": [{"id": "one", "title": "Section one"}, {"id": "three", "title": "Section three"}],
        "recommendations": [
            {"id": "JSNA-1.7", "section": "one", "title": "Item 1.7", "text": "Text of JSNA 1.7."},
            {"id": "JSNA-3.2", "section": "three", "title": "Item 3.2", "text": "Text of JSNA 3.2."},
        ],
    }
    jsna.write_text(yaml.safe_dump(register), encoding="utf-8")
    plan = make_plan([base_action(1, recommendations=["SELR-1", "JSNA-1.7", "JSNA-3.2"])])
    data = show_json(cli, "1", "--plan", plan, "--register", SHIPPED_REGISTER, "--register", jsna)
    assert texts(data)["JSNA-1.7"]["text"] == "Text of JSNA 1.7."
    assert texts(data)["JSNA-3.2"]["section"] == "Section three"
    assert texts(data)["SELR-1"]["text"] == register_text("SELR-1")


def test_an_id_missing_from_a_loaded_register_is_named_as_such(make_plan: MakePlan) -> None:
    """`show` refuses such a plan (validate fails), so the report is checked directly."""
    plan = make_plan([base_action(1, recommendations=["SELR-1", "SELR-99"])])
    validation = validate_paths(plan, [SHIPPED_REGISTER])
    assert validation.plan is not None
    action = validation.plan.actions[0]
    report = action_detail_listing(validation.plan, action, validation.registers)
    by_id = texts(report.json_data())
    assert by_id["SELR-99"]["missing"] == "not in the SELR register"
    assert by_id["SELR-1"]["missing"] is None
    assert {"field": "SELR-99", "value": "(not in the SELR register)"} in report.rows


def test_table_shows_the_action_and_its_recommendations(cli: RunCli) -> None:
    result = cli("show", "10")
    assert result.code == 0
    out = result.stdout
    assert out.startswith("Action 10")
    assert max(len(line) for line in out.splitlines()) <= 80
    for field in ("Theme", "Action", "Outcomes", "Lead", "Start", "End", "Status", "Last update", "SELR-5"):
        assert field in out
    assert "Drug profile and analysts' forum: Develop the DAAT existing drug profile" in " ".join(out.split())
    assert "none reported" in out


def test_progress_entries_are_listed(cli: RunCli, make_plan: MakePlan) -> None:
    action = base_action(
        1,
        status="in_progress",
        progress=[
            {"date": "2020-05-01", "status": "planned", "note": "Scoped."},
            {"date": "2020-08-14", "status": "in_progress", "note": "Forum met twice.", "by": "MPS"},
        ],
    )
    result = cli("show", "1", "--plan", make_plan([action]), "--format", "csv")
    assert result.code == 0, result.stderr
    rows = {row["field"]: row["value"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["Progress 2020-08-14"] == "in progress (MPS): Forum met twice."
    assert rows["Progress 2020-05-01"] == "planned: Scoped."
    assert rows["Last update"] == "2020-08-14"
    assert rows["Status"] == "in progress"


@pytest.mark.parametrize("format_name", ["table", "json", "csv", "markdown"])
def test_show_and_actions_id_are_the_same_view(cli: RunCli, format_name: str) -> None:
    shown = cli("show", "24", "--format", format_name)
    listed = cli("actions", "24", "--format", format_name)
    assert shown.code == listed.code == 0
    assert shown.stdout == listed.stdout
    assert "SELR-7" in shown.stdout


def test_markdown_is_a_field_value_table(cli: RunCli) -> None:
    lines = cli("show", "24", "--format", "markdown").stdout.splitlines()
    assert lines[0] == "## Action 24"
    assert "| Field | Value |" in lines
    assert any(line.startswith("| SELR-6 | Schools, pathways and referral routes: ") for line in lines)


@pytest.mark.parametrize("args", [("show", "99"), ("show", "0"), ("show", "x")])
def test_unknown_or_malformed_id_is_a_usage_error(cli: RunCli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.stdout == ""


def test_invalid_plan_exits_1(cli: RunCli, make_plan: MakePlan) -> None:
    result = cli("show", "1", "--plan", make_plan([base_action(1, recommendations=["SELR-99"])]))
    assert result.code == 1
    assert "SELR-99" in result.stderr


def test_show_lists_a_shared_actions_entries_by_organisation(cli: RunCli, make_plan: MakePlan) -> None:
    progress = [
        {"date": "2020-10-01", "status": "in_progress", "note": "Begun", "organisation": "nps", "by": "NPS"},
        {"date": "2020-10-02", "status": "planned", "note": "Agreed"},
        {
            "date": "2020-11-01",
            "status": "complete",
            "note": "Signed",
            "organisation": "mps",
            "evidence": "Protocol",
            "risks": "Staff turnover",
        },
        {"date": "2020-12-01", "status": "complete", "note": "Done", "organisation": "nps", "evidence": "Minutes"},
    ]
    plan = make_plan([base_action(1, lead=["MPS", "NPS"], status="planned", progress=progress)])
    result = cli("show", "1", "-p", plan, "-f", "json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["progress"][2]["evidence"] == "Protocol"
    text = cli("show", "1", "-p", plan, "-f", "csv").stdout
    lines = [line for line in text.splitlines() if line.startswith("Progress")]
    assert [line.split(",", 2)[1][:6] for line in lines] == ["[coord", "[MPS] ", "[NPS] ", "[NPS] "]
    assert "evidence: Protocol" in text
    assert "risks: Staff turnover" in text
