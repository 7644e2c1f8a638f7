"""`cheplan organisations`: the directory, with each organisation's actions, overdue and not reported."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tests.conftest import MakePlan, RunCli, base_action


def organisations_json(cli: RunCli, *args: str) -> list[dict[str, Any]]:
    result = cli("organisations", "--format", "json", *args)
    assert result.code == 0, result.stderr
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def test_shipped_directory_with_counts(cli: RunCli) -> None:
    data = organisations_json(cli, "--as-of", "2020-10-01")
    assert len(data) == 15
    by_id = {o["id"]: o for o in data}
    csp = by_id["lbs-community-safety"]
    assert csp["name"] == "LBS Community Safety & Partnerships"
    assert csp["aliases"] == [
        "Community Safety & Partnerships",
        "Community Safety",
        "LBS Community Safety Partnerships",
    ]
    assert (csp["actions"], csp["overdue"], csp["not_reported"]) == (19, 9, 19)
    assert csp["contact"] is None
    # Actions 7 and 21 are led by "All": they count under every organisation.
    assert all({7, 21} <= set(o["action_ids"]) for o in data)
    assert by_id["nps"]["action_ids"] == [7, 21, 38]
    assert any(n["printed"] == "Community Safety" for n in csp["source_notes"])


def test_as_of_changes_the_overdue_counts(cli: RunCli) -> None:
    before = {o["id"]: o["overdue"] for o in organisations_json(cli, "--as-of", "2020-01-01")}
    after = {o["id"]: o["overdue"] for o in organisations_json(cli, "--as-of", "2021-04-01")}
    assert set(before.values()) == {0}
    assert after == {o["id"]: o["actions"] for o in organisations_json(cli, "--as-of", "2021-04-01")}


def test_table_lists_names_and_aliases_at_80_columns(cli: RunCli) -> None:
    result = cli("organisations", "--as-of", "2020-10-01")
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("mps-southwark ") and "MPS Southwark; MPS" in line for line in lines)
    assert "15 organisations, as of 2020-10-01." in result.stdout
    assert "2 actions led by “All” count under every organisation." in result.stdout


def test_csv_and_markdown(cli: RunCli) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("organisations", "--as-of", "2020-10-01", "-f", "csv").stdout)))
    assert list(rows[0]) == ["id", "names", "actions", "overdue", "not_reported"]
    assert rows[-1] == {
        "id": "southwark-crc",
        "names": "Southwark CRC",
        "actions": "3",
        "overdue": "3",
        "not_reported": "3",
    }
    markdown = cli("organisations", "--as-of", "2020-10-01", "-f", "markdown").stdout
    assert (
        "| lbs-community-safety | LBS Community Safety \\& Partnerships; Community Safety \\& Partnerships;" in markdown
    )


def test_not_reported_counts_what_was_on_record_that_day(cli: RunCli, make_plan: MakePlan) -> None:
    started = {"date": "2020-07-01", "status": "in_progress", "note": "Started."}
    plan = make_plan(
        [base_action(1, end="2020-09", status="in_progress", progress=[started]), base_action(2, end="2021-03")],
        organisations=[{"id": "csp", "name": "LBS Community Safety & Partnerships"}],
    )
    [june] = organisations_json(cli, "--plan", str(plan), "--as-of", "2020-06-01")
    [october] = organisations_json(cli, "--plan", str(plan), "--as-of", "2020-10-01")
    assert (june["actions"], june["overdue"], june["not_reported"]) == (2, 0, 2)
    assert (october["overdue"], october["not_reported"]) == (1, 1)


def test_a_plan_without_a_directory_lists_its_printed_leads(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, lead=["MPS", "NPS"]), base_action(2, lead=["All"])])
    result = cli("organisations", "--plan", plan, "--as-of", "2020-10-01")
    assert "no `organisations` directory" in result.stdout
    data = organisations_json(cli, "--plan", str(plan), "--as-of", "2020-10-01")
    assert [(o["id"], o["action_ids"]) for o in data] == [("mps", [1, 2]), ("nps", [1, 2])]


def test_bad_as_of_is_a_usage_error(cli: RunCli) -> None:
    result = cli("organisations", "--as-of", "2020-13-01")
    assert (result.code, result.stdout) == (2, "")


def test_corrections_and_validate_count_the_directory_notes(cli: RunCli) -> None:
    notes = json.loads(cli("corrections", "-f", "json").stdout)
    mapped = [n for n in notes if n["where"] == "organisation lbs-community-safety"]
    assert [n["printed"] for n in mapped] == [
        "Community Safety & Partnerships",
        "Community Safety",
        "LBS Community Safety Partnerships",
    ]
    assert f"({len(notes)} source corrections recorded" in cli("validate").stderr + cli("validate").stdout


def test_a_shared_action_counts_for_each_organisation_by_its_own_latest_entry(cli: RunCli, make_plan: MakePlan) -> None:
    nps_done = {"date": "2020-09-30", "status": "complete", "note": "Delivered.", "organisation": "nps",
                "evidence": "Minutes of 30 Sep"}  # fmt: skip
    organisations = [{"id": "nps", "name": "National Probation Service"}, {"id": "mps", "name": "MPS Southwark"}]
    action = base_action(7, lead=["All"], end="2020-09", status="complete", progress=[nps_done])
    plan = make_plan([action], organisations=organisations)
    counts = {
        o["id"]: (o["overdue"], o["not_reported"])
        for o in organisations_json(cli, "--plan", str(plan), "--as-of", "2020-10-01")
    }
    assert counts == {"nps": (0, 0), "mps": (1, 1)}
