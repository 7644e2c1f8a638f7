"""`cheplan stale` and the RAG field in the JSON of actions, overdue and due."""

from __future__ import annotations

import csv
import io
import json

from markdown_it import MarkdownIt

from cheplan.domain.vocabulary import DEFAULT_STALE_DAYS
from tests.conftest import MakePlan, RunCli, base_action


def stale_plan(make_plan: MakePlan) -> str:
    return str(
        make_plan(
            [
                base_action(1, status="in_progress", progress=[{"date": "2020-05-01", "status": "in_progress"}]),
                base_action(2, start="2019-04", action="Never <b>reported</b> | at all"),
                base_action(3, status="in_progress", progress=[{"date": "2020-09-20", "status": "in_progress"}]),
            ]
        )
    )


def test_stale_in_every_format(cli: RunCli, make_plan: MakePlan) -> None:
    plan = stale_plan(make_plan)
    data = json.loads(cli("stale", "--plan", plan, "--as-of", "2020-10-01", "-f", "json").stdout)
    assert [row["id"] for row in data["stale"]] == [1]
    assert data["stale"][0]["days"] == 153
    assert [row["id"] for row in data["never_reported"]] == [2]
    assert data["days"] == DEFAULT_STALE_DAYS
    rows = list(csv.DictReader(io.StringIO(cli("stale", "--plan", plan, "--as-of", "2020-10-01", "-f", "csv").stdout)))
    assert [(r["group"], r["id"]) for r in rows] == [
        (f"No update for more than {DEFAULT_STALE_DAYS} days", "1"),
        ("No return since they started", "2"),
    ]
    table = cli("stale", "--plan", plan, "--as-of", "2020-10-01").stdout
    assert "No return since they started (1)" in table
    assert f"1 with no update for more than {DEFAULT_STALE_DAYS} days and 1 with no return" in table
    markdown = cli("stale", "--plan", plan, "--as-of", "2020-10-01", "-f", "markdown").stdout
    html = MarkdownIt().render(markdown)
    assert "<b>" not in html
    assert "&lt;b&gt;reported&lt;/b&gt;" in html


def test_days_option(cli: RunCli, make_plan: MakePlan) -> None:
    plan = stale_plan(make_plan)
    data = json.loads(cli("stale", "--plan", plan, "--as-of", "2020-10-01", "--days", "7", "-f", "json").stdout)
    assert [row["id"] for row in data["stale"]] == [1, 3]
    assert cli("stale", "--plan", plan, "--as-of", "2020-13-01").code == 2


def test_json_listings_carry_the_rag_rating(cli: RunCli, make_plan: MakePlan) -> None:
    plan = stale_plan(make_plan)
    on = ["--plan", plan, "--as-of", "2020-10-01", "-f", "json"]
    listed = json.loads(cli("actions", *on).stdout)
    assert [a["rag"]["rating"] for a in listed] == ["amber", "none", "green"]
    assert listed[0]["rag"]["reasons"][0].startswith("stale: latest update 2020-05-01")
    assert listed[0]["rag"]["override"] is None
    later = json.loads(cli("actions", "--plan", plan, "--as-of", "2021-04-01", "-f", "json").stdout)
    assert {a["rag"]["rating"] for a in later} == {"red"}
    overdue = json.loads(cli("overdue", "--plan", plan, "--as-of", "2021-04-01", "-f", "json").stdout)
    assert {row["rag"]["rating"] for row in overdue} == {"red"}
    due = json.loads(cli("due", "--plan", plan, "--as-of", "2021-03-01", "-f", "json").stdout)
    assert [row["rag"]["rating"] for row in due] == ["amber", "amber", "amber"]


def test_stale_json_adds_the_organisation_ids_beside_the_printed_leads(cli: RunCli) -> None:
    data = json.loads(cli("stale", "--as-of", "2020-10-01", "--lead", "NPS", "-f", "json").stdout)
    rows = {row["id"]: row for row in data["never_reported"]}
    assert rows[38]["lead"] == ["Southwark CRC", "NPS"]
    assert sorted(rows[38]["organisations"]) == ["nps", "southwark-crc"]
    # "All" is every partner: the action belongs to each organisation of the directory.
    assert rows[7]["lead"] == ["All"]
    assert len(rows[7]["organisations"]) == 15
