"""The round of docs/returns.md, on its illustrative plan (examples/), against a real SMTP server:
send, import two of three returns, chase the third, and what the plan then records."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, RunCli
from tests.returns.smtp_server import smtp_server
from tests.returns.test_send import FROM, attachment, by_organisation, rounds_of, use

EXAMPLE = REPO / "examples" / "returns-round" / "plan.yaml"
DOCS = REPO / "docs" / "returns.md"


@pytest.fixture(autouse=True)
def _mail_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("CHEPLAN_SMTP_", "CHEPLAN_MAIL_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("CHEPLAN_MAIL_FROM", FROM)


def test_the_example_plan_is_valid_and_labelled_illustrative(cli: RunCli) -> None:
    assert cli("validate", EXAMPLE).code == 0
    assert EXAMPLE.read_text(encoding="utf-8").startswith("# ILLUSTRATIVE EXAMPLE, NOT EVIDENCE.")


def test_the_documented_round(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(EXAMPLE, plan)
    monkeypatch.chdir(tmp_path)
    send = [
        "returns",
        "send",
        "--plan",
        plan,
        "--round",
        "2020-Q3",
        "--deadline",
        "2020-10-21",
        "--as-of",
        "2020-09-30",
    ]
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        sent = cli(*send, "--meeting", "2020-11-04")
        again = cli(*send)
        messages = by_organisation(server.handler.received)
    assert sent.code == again.code == 0
    assert sorted(messages) == ["council-community-safety", "example-health", "example-police"]
    body = messages["example-police"].get_body(("plain",))
    assert body is not None
    assert "These returns are for the Partnership Board meeting of 4 November 2020." in body.get_content()
    meetings = cli("meetings", "--plan", plan, "-f", "json")
    assert meetings.code == 0, meetings.stderr
    assert '"closes_rounds": [\n      "2020-Q3"\n    ]' in meetings.stdout
    assert again.stdout == ""
    for organisation in ("example-police", "council-community-safety"):
        name, data = attachment(messages[organisation])
        (tmp_path / name).write_bytes(data)
    imported = cli("returns", "import", "--plan", plan, "--as-of", "2020-10-12", "--apply",
                   "returns-example-police.xlsx", "returns-council-community-safety.xlsx")  # fmt: skip
    assert imported.code == 0, imported.stderr
    shown = "Round 2020-Q3: returned by example-police, council-community-safety\n  still missing: example-health\n"
    assert shown in imported.stdout
    assert shown in DOCS.read_text(encoding="utf-8")
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        chase = cli("returns", "chase", "--plan", plan, "--round", "2020-Q3")
        twice = cli("returns", "chase", "--plan", plan, "--round", "2020-Q3")
        chased = by_organisation(server.handler.received)
    assert chase.code == twice.code == 0
    assert list(chased) == ["example-health"]
    assert "round 2020-Q3: 2 returned, 1 missing; chasing 1" in chase.stderr
    assert "example-health: already chased today" in twice.stderr
    [recorded] = rounds_of(plan)
    assert [(m["organisation"], m["kind"]) for m in recorded["messages"]] == [
        ("council-community-safety", "send"),
        ("example-police", "send"),
        ("example-health", "send"),
        ("example-health", "chase"),
    ]
    assert recorded["returned"] == [
        {"organisation": "example-police", "date": "2020-10-12"},
        {"organisation": "council-community-safety", "date": "2020-10-12"},
    ]


def test_a_meeting_the_plan_does_not_list_is_a_usage_error(cli: RunCli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(EXAMPLE, plan)
    round_ = ["--round", "2020-Q3", "--deadline", "2020-10-21", "--as-of", "2020-09-30"]
    result = cli("returns", "send", "--plan", plan, *round_, "--meeting", "2020-11-05", "--dry-run", tmp_path / "out")
    assert result.code == 2
    assert "the plan lists no meeting on 2020-11-05 (it lists 2020-11-04)" in result.stderr
