"""`cheplan overdue`: what is late, by how much; every format, lead grouping and exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHIPPED_PLAN, MakePlan, RunCli, base_action

# On the shipped plan, as of 2020-10-01: action 22 ended 2020-03, 1 and 18 in 2020-06, and
# fifteen actions in 2020-09 are one day late.
SEPTEMBER_ACTIONS = [7, 10, 19, 20, 21, 23, 24, 25, 28, 29, 33, 34, 35, 36, 38]


def overdue_json(cli: RunCli, *args: str | Path) -> list[dict[str, Any]]:
    result = cli("overdue", "--format", "json", *args)
    assert result.code == 0, result.stderr
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def test_shipped_plan_most_overdue_first(cli: RunCli) -> None:
    rows = overdue_json(cli, "--as-of", "2020-10-01")
    assert [(r["id"], r["days_overdue"]) for r in rows] == [(22, 184), (1, 93), (18, 93)] + [
        (i, 1) for i in SEPTEMBER_ACTIONS
    ]


def test_json_contract(cli: RunCli) -> None:
    rows = overdue_json(cli, "--as-of", "2020-10-01", "--lead", "southwark-crc")
    # Actions 7 and 21 are led by "All": every partner, the CRC included.
    assert [(r["id"], r["matched_leads"]) for r in rows[:2]] == [(7, ["All"]), (21, ["All"])]
    assert rows[2:] == [
        {
            "id": 38,
            "action": "Pre-court and post conviction knife crime offenders to be provided with bespoke community"
            " sentence interventions.",
            "theme": "targeting-lawbreakers",
            "lead": ["Southwark CRC", "NPS"],
            "matched_leads": ["Southwark CRC"],
            "organisations": ["nps", "southwark-crc"],
            "end": "2020-09",
            "baseline_end": "2020-09",
            "effective_end": "2020-09",
            "revision": None,
            "proposal": None,
            "due": "2020-09-30",
            "status": "not_reported",
            "last_update": None,
            "rag": {
                "rating": "red",
                "reasons": ["past its effective end 2020-09 (due 2020-09-30) by 1 day and not finished"],
                "override": None,
            },
            "days_overdue": 1,
        }
    ]


def test_json_types_for_every_row(cli: RunCli) -> None:
    for row in overdue_json(cli, "--as-of", "2021-06-15"):
        assert isinstance(row["id"], int)
        assert isinstance(row["days_overdue"], int)
        assert row["days_overdue"] > 0
        assert isinstance(row["lead"], list)
        assert re.fullmatch(r"\d{4}-\d{2}", row["end"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["due"])
        assert row["due"].startswith(row["end"])


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2020-09-30", [22, 1, 18]),  # the last day of September: the September actions are not yet overdue
        ("2020-10-01", [22, 1, 18, *SEPTEMBER_ACTIONS]),
        ("2019-03-31", []),  # before the plan starts
    ],
)
def test_month_end_boundary_on_the_shipped_plan(cli: RunCli, as_of: str, expected: list[int]) -> None:
    assert [r["id"] for r in overdue_json(cli, "--as-of", as_of)] == expected


def test_leap_february(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, start="2020-01", end="2020-02")])
    assert overdue_json(cli, "--plan", plan, "--as-of", "2020-02-29") == []
    (row,) = overdue_json(cli, "--plan", plan, "--as-of", "2020-03-01")
    assert (row["due"], row["days_overdue"]) == ("2020-02-29", 1)


def test_finished_actions_are_excluded_and_last_update_is_shown(cli: RunCli, make_plan: MakePlan) -> None:
    done = {"date": "2020-08-01", "status": "complete", "note": "Done."}
    started = {"date": "2020-07-14", "status": "in_progress", "note": "Started."}
    dropped = {"date": "2020-08-02", "status": "dropped", "note": "Superseded by action 3."}
    plan = make_plan(
        [
            base_action(1, end="2020-09", status="complete", progress=[done]),
            base_action(2, end="2020-09", status="in_progress", progress=[started]),
            base_action(3, end="2020-09", status="dropped", progress=[dropped]),
            base_action(4, end="2020-09"),
        ]
    )
    rows = overdue_json(cli, "--plan", plan, "--as-of", "2020-10-01")
    assert [(r["id"], r["status"], r["last_update"]) for r in rows] == [
        (2, "in_progress", "2020-07-14"),
        (4, "not_reported", None),
    ]
    table = cli("overdue", "--plan", plan, "--as-of", "2020-10-01").stdout
    assert "2020-07-14" in table
    assert "never" in table  # action 4: no update reported
    assert "2 overdue of 4 actions in the plan, as of 2020-10-01." in table


def test_table_empty_message_and_footer(cli: RunCli) -> None:
    result = cli("overdue", "--as-of", "2019-06-01")
    assert result.code == 0
    assert "Nothing is overdue as of 2019-06-01." in result.stdout
    assert "0 overdue of 38 actions in the plan, as of 2019-06-01." in result.stdout


def test_json_is_an_empty_list_when_nothing_is_overdue(cli: RunCli) -> None:
    assert overdue_json(cli, "--as-of", "2019-06-01") == []


def test_lead_filter_matches_an_organisation_and_the_footer_says_so(cli: RunCli) -> None:
    rows = overdue_json(cli, "--as-of", "2020-10-01", "--lead", "MPS")
    assert [(r["id"], r["matched_leads"]) for r in rows] == [
        (7, ["All"]),
        (21, ["All"]),
        (33, ["MPS"]),
        (34, ["MPS Southwark"]),
        (35, ["MPS Southwark"]),
    ]
    table = cli("overdue", "--as-of", "2020-10-01", "--lead", "mps").stdout
    assert "5 overdue of 7 matching actions (38 in the plan), as of 2020-10-01." in table


def test_theme_filter(cli: RunCli) -> None:
    rows = overdue_json(cli, "--as-of", "2020-10-01", "--theme", "governance")
    assert [r["id"] for r in rows] == [1]


def test_by_lead_without_a_directory_groups_per_printed_lead(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan(
        [
            base_action(1, end="2020-06", lead=["MPS", "LBS Public Health"]),
            base_action(2, end="2020-09", lead=["MPS Southwark", "MPS"]),
            base_action(3, end="2020-09", lead=["LBS Public Health"]),
        ]
    )
    # "mp" is no lead's whole name: it matches both printed leads containing it.
    result = cli("overdue", "--plan", plan, "--as-of", "2020-10-01", "--lead", "mp", "--by-lead", "-f", "csv")
    assert result.code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["group_lead"], r["id"], r["co_leads"]) for r in rows] == [
        ("MPS", "1", "LBS Public Health"),
        ("MPS", "2", "MPS Southwark"),
        ("MPS Southwark", "2", "MPS"),
    ]
    table = cli("overdue", "--plan", plan, "--as-of", "2020-10-01", "--lead", "mp", "--by-lead").stdout
    assert "MPS (2)" in table
    assert "MPS Southwark (1)" in table
    assert "2 overdue of 2 matching actions (3 in the plan), as of 2020-10-01.\n2 lead organisations to chase." in table
    # A whole name picks that lead only.
    exact = cli("overdue", "--plan", plan, "--as-of", "2020-10-01", "--lead", "mps", "-f", "json").stdout
    assert [r["id"] for r in json.loads(exact)] == [1, 2]
    # JSON keeps one object per action whatever the grouping.
    data = json.loads(cli("overdue", "--plan", plan, "--as-of", "2020-10-01", "--by-lead", "-f", "json").stdout)
    assert [r["id"] for r in data] == [1, 2, 3]


DIRECTORY = [
    {"id": "mps", "name": "MPS Southwark", "aliases": ["MPS"]},
    {"id": "health", "name": "LBS Public Health", "aliases": ["Public Health"]},
]


def test_by_lead_groups_per_organisation_and_all_is_under_each(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan(
        [
            base_action(1, end="2020-06", lead=["MPS", "Public Health"]),
            base_action(2, end="2020-09", lead=["MPS Southwark", "MPS"]),
            base_action(3, end="2020-09", lead=["All"]),
            base_action(4, end="2020-09", lead=["LBS Public Health"]),
        ],
        organisations=DIRECTORY,
    )
    result = cli("overdue", "--plan", plan, "--as-of", "2020-10-01", "--by-lead", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["group_lead"], r["id"], r["co_leads"]) for r in rows] == [
        ("LBS Public Health", "1", "MPS Southwark"),
        ("LBS Public Health", "3", "All partners"),
        ("LBS Public Health", "4", ""),
        ("MPS Southwark", "1", "LBS Public Health"),
        ("MPS Southwark", "2", ""),  # printed twice, one organisation: listed once
        ("MPS Southwark", "3", "All partners"),
    ]
    table = cli("overdue", "--plan", plan, "--as-of", "2020-10-01", "--by-lead").stdout
    assert "2 lead organisations to chase." in table
    filtered = cli("overdue", "--plan", plan, "--as-of", "2020-10-01", "--by-lead", "--lead", "MPS", "-f", "csv")
    groups = {r["group_lead"] for r in csv.DictReader(io.StringIO(filtered.stdout))}
    assert groups == {"MPS Southwark"}
    data = json.loads(cli("overdue", "--plan", plan, "--as-of", "2020-10-01", "-f", "json").stdout)
    assert [(r["id"], r["organisations"]) for r in data] == [
        (1, ["mps", "health"]),
        (2, ["mps"]),
        (3, ["mps", "health"]),
        (4, ["health"]),
    ]


def test_shipped_plan_by_lead_has_one_group_per_organisation(cli: RunCli) -> None:
    result = cli("overdue", "--as-of", "2021-04-01", "--by-lead", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    groups = {r["group_lead"] for r in rows}
    assert len(groups) == 15
    assert "LBS Community Safety & Partnerships" in groups
    assert not groups & {"Community Safety", "Community Safety & Partnerships", "MPS", "All"}
    # Actions 7 and 21 ("All") are under every organisation.
    assert sum(1 for r in rows if r["id"] == "7") == 15


def test_markdown(cli: RunCli) -> None:
    result = cli("overdue", "--as-of", "2020-10-01", "--lead", "NPS", "--format", "markdown")
    assert result.code == 0
    assert "| ID | Action | Lead | End | Days | Status | Updated |" in result.stdout
    assert "| 38 | Pre-court" in result.stdout
    assert "| Southwark CRC; NPS | 2020-09 | 1 | not reported | never |" in result.stdout
    assert "3 overdue of 3 matching actions (38 in the plan), as of 2020-10-01." in result.stdout
    grouped = cli("overdue", "--as-of", "2020-10-01", "--lead", "NPS", "--by-lead", "-f", "markdown").stdout
    assert "### National Probation Service" in grouped


def test_csv(cli: RunCli) -> None:
    result = cli("overdue", "--as-of", "2020-10-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["id", "action", "lead", "end", "days_overdue", "status", "last_update"]
    assert (rows[0]["id"], rows[0]["days_overdue"], rows[0]["end"]) == ("22", "184", "2020-03")
    assert len(rows) == 18
    assert "overdue of" not in result.stdout  # the footer is for people only


def test_table(cli: RunCli) -> None:
    result = cli("overdue", "--as-of", "2020-10-01")
    assert result.code == 0
    assert "Overdue as of 2020-10-01" in result.stdout
    assert re.search(r"^22 .* 2020-03 +184 ", result.stdout, re.MULTILINE)
    assert "18 overdue of 38 actions in the plan, as of 2020-10-01." in result.stdout
    assert result.stderr == ""


def test_fail_if_any_exits_1_when_something_is_overdue(cli: RunCli) -> None:
    result = cli("overdue", "--as-of", "2020-10-01", "--fail-if-any", "-f", "json")
    assert result.code == 1
    assert len(json.loads(result.stdout)) == 18  # the list is still written


def test_fail_if_any_exits_0_when_nothing_is_overdue(cli: RunCli) -> None:
    assert cli("overdue", "--as-of", "2020-09-30", "--lead", "NPS", "--fail-if-any").code == 0


def test_a_lead_that_names_no_organisation_cannot_turn_a_gate_green(cli: RunCli) -> None:
    """A typo in --lead used to print "Nothing is overdue" and exit 0."""
    result = cli("overdue", "--as-of", "2021-04-01", "--lead", "Metropolitan Police", "--fail-if-any")
    assert (result.code, result.stdout) == (2, "")
    assert "--lead 'Metropolitan Police' matches no lead organisation" in result.stderr
    assert "cheplan organisations" in result.stderr
    typo = cli("overdue", "--as-of", "2021-04-01", "--lead", "MPS Southwarc", "--fail-if-any")
    assert typo.code == 2
    assert "did you mean 'MPS Southwark'?" in typo.stderr


def test_without_fail_if_any_overdue_still_exits_0(cli: RunCli) -> None:
    assert cli("overdue", "--as-of", "2020-10-01").code == 0


@pytest.mark.parametrize("bad", ["2020-13-01", "2020-02-30", "01/10/2020", "yesterday"])
def test_bad_as_of_is_a_usage_error(cli: RunCli, bad: str) -> None:
    result = cli("overdue", "--as-of", bad)
    assert result.code == 2
    assert result.stdout == ""
    assert "--as-of" in result.stderr
    assert "YYYY-MM-DD" in result.stderr


def test_unknown_format_is_a_usage_error(cli: RunCli) -> None:
    assert cli("overdue", "--format", "xml").code == 2


def test_invalid_plan_exits_1(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, end="2020-13")])
    result = cli("overdue", "--plan", plan, "--as-of", "2020-10-01")
    assert result.code == 1
    assert "not a month" in result.stderr


def test_missing_plan_exits_2(cli: RunCli, tmp_path: Path) -> None:
    assert cli("overdue", "--plan", tmp_path / "nope.yaml", "--as-of", "2020-10-01").code == 2


def test_default_plan_is_the_shipped_one(cli: RunCli) -> None:
    assert SHIPPED_PLAN.exists()
    assert overdue_json(cli, "--as-of", "2020-10-01") == overdue_json(
        cli, "--plan", SHIPPED_PLAN, "--as-of", "2020-10-01"
    )


def test_csv_carries_codes_and_empty_cells_for_machines(cli: RunCli) -> None:
    result = cli("overdue", "--as-of", "2020-10-01", "--lead", "NPS", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["status"], r["last_update"]) for r in rows] == [
        ("7", "not_reported", ""),
        ("21", "not_reported", ""),
        ("38", "not_reported", ""),
    ]
    table = cli("overdue", "--as-of", "2020-10-01", "--lead", "NPS")
    assert "never" in table.stdout
    assert "not" in table.stdout
    assert "not_reported" not in table.stdout


def test_as_of_ignores_progress_reported_after_that_date(cli: RunCli, make_plan: MakePlan) -> None:
    """A board looking back sees the plan as it stood, not as it was later reported."""
    entry = {"date": "2021-02-01", "status": "complete", "note": "Delivered late."}
    plan = make_plan([base_action(1, end="2020-09", status="complete", progress=[entry])])
    then = json.loads(cli("overdue", "--plan", plan, "--as-of", "2020-10-01", "--format", "json").stdout)
    assert [(r["id"], r["status"], r["last_update"]) for r in then] == [(1, "not_reported", None)]
    later = json.loads(cli("overdue", "--plan", plan, "--as-of", "2021-02-01", "--format", "json").stdout)
    assert later == []
