"""The output caps (domain/caps.py): past one, a command refuses at once, naming the cap and how
to narrow the run, before any of the output is made; at the cap, it is made."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cheplan.domain import caps
from tests.conftest import MakePlan, RunCli, base_action, count_calls
from tests.returns.round_plan import plan_with_contacts

AS_OF = ("--as-of", "2021-01-15")


def _three_nps_one_mps(make_plan: MakePlan) -> Path:
    leads = ["NPS", "NPS", "NPS", "MPS Southwark"]
    return make_plan(actions=[base_action(n, lead=[lead], end="2021-06") for n, lead in enumerate(leads, start=1)])


def test_a_report_past_its_cap_is_refused_before_the_board_is_built(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cheplan.questions import board

    monkeypatch.setattr(caps, "MAX_REPORT_ACTIONS", 3)
    built = count_calls(monkeypatch, board, "build_board")
    plan = _three_nps_one_mps(make_plan)
    refused = cli("report", "--plan", plan, *AS_OF, "-f", "markdown")
    assert refused.code == 2
    assert refused.stderr.startswith("cheplan: error: 4 actions are more than one board report covers (at most 3);")
    assert "--lead ORG" in refused.stderr
    assert refused.stdout == ""
    assert built == []
    narrowed = cli("report", "--plan", plan, *AS_OF, "-f", "markdown", "--lead", "NPS")
    assert narrowed.code == 0, narrowed.stderr
    assert built == [1]


def test_a_returns_workbook_past_its_cap_is_refused_naming_the_organisation(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cheplan.outputs import returns_workbook

    monkeypatch.setattr(caps, "MAX_WORKBOOK_ROWS", 2)
    made = count_calls(monkeypatch, returns_workbook, "returns_workbook")
    plan = _three_nps_one_mps(make_plan)
    out = tmp_path / "out"
    refused = cli("returns", "export", "--out", out, "--plan", plan, *AS_OF)
    assert refused.code == 2
    assert "3 unfinished actions of NPS are more than one returns workbook holds (at most 2)" in refused.stderr
    assert made == []
    assert not out.exists()
    written = cli("returns", "export", "--out", out, "--plan", plan, *AS_OF, "--lead", "MPS Southwark")
    assert written.code == 0, written.stderr
    assert made == [1]


def test_a_returns_run_past_its_cap_is_refused_before_the_round_is_recorded(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(caps, "MAX_RETURNS_ROWS", 3)
    plan = _three_nps_one_mps(make_plan)
    before = plan.read_bytes()
    out = tmp_path / "out"
    round_ = ("--round", "2021-Q1", "--deadline", "2021-02-01")
    refused = cli("returns", "export", "--out", out, "--plan", plan, *AS_OF, *round_)
    assert refused.code == 2
    assert "4 rows in 2 workbooks are more than one returns run writes (at most 3)" in refused.stderr
    assert "--lead ORG" in refused.stderr
    assert plan.read_bytes() == before  # the round is not recorded
    assert not out.exists()
    written = cli("returns", "export", "--out", out, "--plan", plan, *AS_OF, *round_, "--lead", "NPS")
    assert written.code == 0, written.stderr
    assert "2021-Q1" in plan.read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["returns-nps.xlsx"]


def test_a_mailing_past_its_cap_is_refused_before_any_message_is_made(
    cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cheplan.outputs import returns_workbook

    for name in list(os.environ):
        if name.startswith(("CHEPLAN_SMTP_", "CHEPLAN_MAIL_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("CHEPLAN_MAIL_FROM", "Coordinator <coordinator@council.example.org>")
    monkeypatch.setattr(caps, "MAX_RETURNS_ROWS", 10)
    made = count_calls(monkeypatch, returns_workbook, "returns_workbook")
    plan = plan_with_contacts(tmp_path)
    mail = tmp_path / "mail"
    round_ = ("--round", "2020-Q3", "--deadline", "2020-10-21", "--as-of", "2020-09-30", "--dry-run", mail)
    refused = cli("returns", "send", "--plan", plan, *round_)
    assert refused.code == 2
    assert "are more than one returns run writes (at most 10)" in refused.stderr
    assert made == []
    assert not mail.exists()
    one = cli("returns", "send", "--plan", plan, *round_, "--lead", "NPS")
    assert one.code == 0, one.stderr
    assert [p.name for p in mail.iterdir()] == ["2020-Q3-nps-send.eml"]


def test_the_import_reads_no_more_rows_than_one_workbook_holds(
    make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cheplan.loading import workbook
    from cheplan.loading.load import load_plan
    from cheplan.questions.returns import META_HEADER_ROWS, row_cap

    monkeypatch.setattr(workbook, "MAX_ROWS", 20)
    monkeypatch.setattr(caps, "MAX_WORKBOOK_ROWS", 25)
    small = load_plan(make_plan(actions=[base_action(n) for n in range(1, 6)]), []).plan
    large = load_plan(make_plan(actions=[base_action(n) for n in range(1, 41)]), []).plan
    assert row_cap(small) == 20
    assert row_cap(large) == 25 + META_HEADER_ROWS


def test_a_returns_run_passes_over_the_plan_once_whatever_the_organisations(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Each organisation's actions come from one pass over the plan, not one pass each."""
    from cheplan.questions import organisations

    leads = ["NPS", "MPS Southwark", "LBS Education", "LBS Children's Services", "LBS Community Safety & Partnerships"]
    actions = [base_action(n, lead=[leads[n % len(leads)]], end="2021-06") for n in range(1, 31)]
    plan = make_plan(actions=actions)
    asked = count_calls(monkeypatch, organisations, "organisations_of")
    result = cli("returns", "export", "--out", tmp_path / "out", "--plan", plan, *AS_OF)
    assert result.code == 0, result.stderr
    assert len(list((tmp_path / "out").iterdir())) == 5
    assert len(asked) <= 2 * len(actions)  # a pass per organisation would be 5 times the actions


def test_a_stale_listing_past_its_cap_is_refused_before_any_row_is_made(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared action weighs a row for each of its organisations: counted, not made, first."""
    from cheplan.questions import stale

    monkeypatch.setattr(caps, "MAX_STALE_ROWS", 3)
    made = count_calls(monkeypatch, stale, "_row")
    shared = base_action(1, lead=["NPS", "MPS Southwark"], start="2020-04", end="2021-06")
    alone = base_action(2, lead=["NPS"], start="2020-04", end="2021-06")
    plan = make_plan(actions=[shared, alone, base_action(3, lead=["NPS"], start="2020-04", end="2021-06")])
    refused = cli("stale", "--plan", plan, *AS_OF)
    assert refused.code == 2
    assert "4 actions and shares are more than one stale listing weighs (at most 3)" in refused.stderr
    assert "--lead ORG" in refused.stderr
    assert made == []
    narrowed = cli("stale", "--plan", plan, *AS_OF, "--lead", "NPS", "-f", "json")
    assert narrowed.code == 0, narrowed.stderr
    assert len(made) == 3
    monkeypatch.setattr(caps, "MAX_STALE_ROWS", 10)
    monkeypatch.setattr(caps, "MAX_SHARES", 5)  # 4 pairs: valid; the rows name 2 + 2 + 1 + 1
    named = cli("stale", "--plan", plan, *AS_OF)
    assert named.code == 2
    assert "6 organisations named by its rows are more than one stale listing names (at most 5)" in named.stderr
    assert len(made) == 3
