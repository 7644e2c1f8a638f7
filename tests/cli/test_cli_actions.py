"""`cheplan actions`: filters, the JSON contract, every format, exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import MakePlan, RunCli, base_action


def ids(result_stdout: str) -> list[int]:
    return [a["id"] for a in json.loads(result_stdout)]


def test_json_contract_on_the_shipped_plan(cli: RunCli) -> None:
    result = cli("actions", "--format", "json")
    assert result.code == 0
    data = json.loads(result.stdout)
    assert len(data) == 38
    first = data[0]
    assert first["id"] == 1
    assert isinstance(first["id"], int)
    for key, kind in [
        ("theme", str),
        ("action", str),
        ("outcomes", str),
        ("lead", list),
        ("start", str),
        ("end", str),
        ("recommendations", list),
        ("status", str),
    ]:
        assert isinstance(first[key], kind), key
    assert first["start"] == "2020-04"
    assert first["end"] == "2020-06"
    assert first["recommendations"] == ["SELR-1", "SELR-3", "SELR-4", "JSNA-1.7", "JSNA-3.2"]
    assert {a["status"] for a in data} == {"not_reported"}
    assert result.stderr == ""


def test_lead_matches_an_organisation_by_id_name_or_alias_with_the_actions_of_all(cli: RunCli) -> None:
    mps = ids(cli("actions", "--lead", "mps", "--format", "json").stdout)
    assert mps == [7, 21, 31, 32, 33, 34, 35]  # "MPS" and "MPS Southwark" are one organisation; "All" too
    by_id = ids(cli("actions", "--lead", "mps-southwark", "--format", "json").stdout)
    by_name = ids(cli("actions", "--lead", "MPS SOUTHWARK", "--format", "json").stdout)
    assert by_id == by_name == mps
    assert ids(cli("actions", "--lead", "NPS", "--format", "json").stdout) == [7, 21, 38]


def test_lead_falls_back_to_part_of_a_name_then_to_the_printed_leads(cli: RunCli) -> None:
    # No organisation is called "Probation", but one name contains it.
    assert ids(cli("actions", "--lead", "probation", "--format", "json").stdout) == [7, 21, 38]
    # "All" names no organisation: it matches the printed leads.
    assert ids(cli("actions", "--lead", "All", "--format", "json").stdout) == [7, 21]


def test_theme_matches_id_or_title(cli: RunCli) -> None:
    by_id = ids(cli("actions", "--theme", "root-causes", "--format", "json").stdout)
    by_title = ids(cli("actions", "--theme", "understanding", "--format", "json").stdout)
    assert by_id == by_title == list(range(7, 14))


def test_status_filter(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan(
        [
            base_action(1),
            base_action(
                2, status="in_progress", progress=[{"date": "2020-05-01", "status": "in_progress", "note": "Started."}]
            ),
        ]
    )
    assert ids(cli("actions", "--plan", plan, "--status", "in_progress", "--format", "json").stdout) == [2]
    both = cli("actions", "--plan", plan, "-s", "in_progress", "-s", "not_reported", "--format", "json")
    assert ids(both.stdout) == [1, 2]


def test_unknown_status_is_a_usage_error(cli: RunCli) -> None:
    result = cli("actions", "--status", "done")
    assert result.code == 2
    assert "done" in result.stderr


def test_a_filter_that_names_nothing_is_a_usage_error(cli: RunCli) -> None:
    result = cli("actions", "--lead", "no such organisation", "--format", "json")
    assert (result.code, result.stdout) == (2, "")
    assert "--lead 'no such organisation' matches no lead organisation" in result.stderr
    typo = cli("actions", "--lead", "Famly Early Help")
    assert typo.code == 2
    assert "did you mean 'Family Early Help'?" in typo.stderr
    theme = cli("actions", "--theme", "lawbreakrs")
    assert theme.code == 2
    assert "--theme 'lawbreakrs' matches no theme (did you mean 'targeting-lawbreakers'?)" in theme.stderr


def test_a_filter_that_names_something_with_no_actions_is_an_empty_answer(cli: RunCli) -> None:
    result = cli("actions", "--status", "complete", "--format", "json")
    assert (result.code, json.loads(result.stdout)) == (0, [])
    assert "No action matches." in cli("actions", "--status", "complete").stdout


def test_csv_has_a_header_and_one_row_per_action(cli: RunCli) -> None:
    result = cli("actions", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 38
    assert rows[33]["id"] == "34"
    assert rows[0]["lead"] == "Community Harm and Exploitation Board"
    assert "…" not in result.stdout  # machines get whole cells


def test_markdown_groups_by_theme(cli: RunCli) -> None:
    result = cli("actions", "--format", "markdown")
    assert result.code == 0
    assert "### GOVERNANCE AND APPROACH" in result.stdout
    assert "| ID | Action | Lead | Start | End | Status |" in result.stdout
    assert result.stdout.count("### ") == 4


def test_table_fits_80_columns_and_has_no_colour_codes(cli: RunCli) -> None:
    result = cli("actions")
    assert result.code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "\x1b[" not in result.stdout
    assert "38 of 38 actions shown." in result.stdout
    assert "not reported" in result.stdout  # status in words, not colour


def test_table_limit_says_how_many_more(cli: RunCli) -> None:
    result = cli("actions", "--limit", "5")
    assert "… and 33 more rows not shown" in result.stdout
    assert "… and" not in cli("actions", "--limit", "0").stdout


@pytest.mark.parametrize("form", [("actions", "34"), ("show", "34")])
def test_one_action_in_full(cli: RunCli, form: tuple[str, str]) -> None:
    result = cli(*form, "--format", "json")
    data = json.loads(result.stdout)
    assert data["id"] == 34
    assert data["source_notes"][0]["printed"] == "32"
    table = cli(*form)
    assert "Action 34" in table.stdout
    assert "printed '32' → '34'" in table.stdout


def test_unknown_action_id_is_a_usage_error(cli: RunCli) -> None:
    result = cli("actions", "99")
    assert result.code == 2
    assert "no action 99" in result.stderr


def test_invalid_plan_exit_1_with_problems_on_stderr(cli: RunCli, make_plan: MakePlan) -> None:
    result = cli("actions", "--plan", make_plan([base_action(1, end="2020-13")]))
    assert result.code == 1
    assert result.stdout == ""
    assert ":" in result.stderr
    assert "cheplan validate" in result.stderr


def test_corrections_lists_every_source_note(cli: RunCli) -> None:
    data = json.loads(cli("corrections", "--format", "json").stdout)
    where = {(entry["where"], entry["field"]) for entry in data}
    assert ("action 34", "id") in where
    assert ("action 12", "recommendations") in where
    assert ("key SSYVP", "code") in where
    assert ("action 22", "end") in where
    assert all(entry["printed"] for entry in data)


def test_actions_as_of_a_date_show_the_record_as_it_stood(cli: RunCli, make_plan: MakePlan) -> None:
    later = {"date": "2021-01-12", "status": "in_progress", "note": "Started."}
    plan = make_plan([base_action(1, end="2021-03", status="in_progress", progress=[later])])
    [before] = json.loads(cli("actions", "--plan", plan, "--as-of", "2020-10-01", "-f", "json").stdout)
    [after] = json.loads(cli("actions", "--plan", plan, "--as-of", "2021-02-01", "-f", "json").stdout)
    assert (before["status"], before["last_update"]) == ("not_reported", None)
    assert (after["status"], after["last_update"]) == ("in_progress", "2021-01-12")
    shown = cli("actions", "1", "--plan", plan, "--as-of", "2020-10-01").stdout
    assert "none reported" in shown
