"""`cheplan trace`: coverage of the shipped register, each rolled-up state, what the register
cannot account for, the CI gate, every format and every exit code."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cheplan.domain.model import Action
from cheplan.questions.trace import TRACE_STATES, rolled_up_state
from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER, MakePlan, RunCli, base_action

# Read off data/plan_2020_21.yaml by hand: which actions cite each ELR recommendation.
SHIPPED_CITATIONS: dict[str, list[int]] = {
    "SELR-F1": [],
    "SELR-1": [1],
    "SELR-2": [2],
    "SELR-3": [1, 2],
    "SELR-4": [1],
    "SELR-5": [10],
    "SELR-6": [24],
    "SELR-7": [24],
    "SELR-8": [14],
    "SELR-9": [13],
    "SELR-10": [6],
    "SELR-11": [18],
    "SELR-12": [4],
    "SELR-13": [33],
    "SELR-14": [35],
    "SELR-15": [36],
    "SELR-P1": [],
    "SELR-P2": [],
    "SELR-P3": [],
    "SELR-P4": [],
    "SELR-P5": [],
}
SHIPPED_UNCOVERED = ["SELR-F1", "SELR-P1", "SELR-P2", "SELR-P3", "SELR-P4", "SELR-P5"]


def trace_json(cli: RunCli, *args: str | Path, code: int = 0) -> dict[str, Any]:
    """`trace --format json`; `code` is 1 where the plan or a register has problems (traced anyway)."""
    result = cli("trace", *args, "--format", "json")
    assert result.code == code, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def states(data: dict[str, Any]) -> dict[str, str]:
    return {r["id"]: r["state"] for r in data["recommendations"]}


def write_register(
    directory: Path,
    code: str = "SELR",
    sections: list[tuple[str, str]] | None = None,
    recommendations: list[tuple[str, str]] | None = None,
) -> Path:
    """A small valid register: (section id, title) sections and (id, section) recommendations."""
    sections = sections or [("governance", "Governance"), ("practice", "Practice")]
    recommendations = recommendations or [
        (f"{code}-1", "governance"),
        (f"{code}-2", "governance"),
        (f"{code}-3", "practice"),
        (f"{code}-P1", "practice"),
    ]
    data = {
        "schema_version": 1,
        "source": {"code": code, "title": f"The {code} review"},
        "sections": [{"id": s, "title": t} for s, t in sections],
        "recommendations": [
            {"id": rid, "section": section, "title": f"Title of {rid}", "text": f"The full text of {rid}, verbatim."}
            for rid, section in recommendations
        ],
    }
    path = directory / f"{code.lower()}_register.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return write_register(tmp_path)


def only(register: Path) -> tuple[str, Path, str]:
    """Options reading this register instead of the shipped one (--register alone adds to it)."""
    return ("--register", register, "--no-default-registers")


def acting(action_id: int, status: str, end: str = "2020-09", refs: tuple[str, ...] = ("SELR-1",)) -> dict[str, Any]:
    """An action citing `refs` whose status (and progress log, when it has one) is `status`."""
    fields: dict[str, Any] = {"end": end, "recommendations": list(refs), "status": status}
    if status != "not_reported":
        fields["progress"] = [{"date": "2020-05-01", "status": status, "note": f"Reported {status}.", "by": "CSP"}]
    return base_action(action_id, **fields)


# --- the shipped data -----------------------------------------------------------------------


def test_shipped_coverage_counts(cli: RunCli) -> None:
    data = trace_json(cli, "--as-of", "2020-10-01")
    assert [r["id"] for r in data["recommendations"]] == list(SHIPPED_CITATIONS)  # register order by section
    assert {r["id"]: r["actions"] for r in data["recommendations"]} == SHIPPED_CITATIONS
    summary = data["summary"]
    assert (summary["total"], summary["covered"], summary["not_covered"]) == (21, 15, 6)
    assert summary["percent"] == 71.4
    assert [r["id"] for r in data["recommendations"] if not r["covered"]] == SHIPPED_UNCOVERED
    assert {s["section"]: (s["covered"], s["total"]) for s in summary["by_section"]} == {
        "lead-in": (0, 1),
        "governance": (5, 5),
        "schools": (7, 7),
        "enforcement": (3, 3),
        "practitioner": (0, 5),
    }


def test_shipped_citations_match_the_raw_yaml(cli: RunCli) -> None:
    """An independent reading of the files (plain PyYAML, no cheplan) agrees with the trace."""
    raw_plan = yaml.safe_load(SHIPPED_PLAN.read_text(encoding="utf-8"))
    raw_register = yaml.safe_load(SHIPPED_REGISTER.read_text(encoding="utf-8"))
    expected = {
        rec["id"]: [a["id"] for a in raw_plan["actions"] if rec["id"] in a["recommendations"]]
        for rec in raw_register["recommendations"]
    }
    traced = {r["id"]: r["actions"] for r in trace_json(cli, "--as-of", "2020-10-01")["recommendations"]}
    assert traced == expected


def test_shipped_beyond_the_register(cli: RunCli) -> None:
    data = trace_json(cli, "--as-of", "2020-10-01")
    assert data["unknown_references"] == []
    assert data["uncited_actions"] == []
    assert data["unchecked_references"] == {"SSYVP": 21, "JSNA": 32, "LVRU": 20}
    assert data["unchecked_distinct_references"] == {"SSYVP": 18, "JSNA": 30, "LVRU": 20}
    assert data["as_of"] == "2020-10-01"


@pytest.mark.parametrize(
    ("as_of", "expected_overdue"),
    [
        ("2020-05-01", set()),  # before any SELR action's end month: all planned
        ("2020-06-30", set()),  # the last day of June: action 1 and 18 are due today, not late
        ("2020-07-01", {"SELR-1", "SELR-3", "SELR-4", "SELR-11"}),  # actions 1 and 18 (June) now late
        ("2021-04-01", set(SHIPPED_CITATIONS) - set(SHIPPED_UNCOVERED)),  # after the plan: everything
    ],
)
def test_shipped_states_move_with_the_date(cli: RunCli, as_of: str, expected_overdue: set[str]) -> None:
    traced = states(trace_json(cli, "--as-of", as_of))
    assert {rid for rid, state in traced.items() if state == "overdue"} == expected_overdue
    covered = set(SHIPPED_CITATIONS) - set(SHIPPED_UNCOVERED)
    assert {rid for rid, state in traced.items() if state == "planned"} == covered - expected_overdue
    assert {rid for rid, state in traced.items() if state == "not_covered"} == set(SHIPPED_UNCOVERED)


def test_shipped_table_fits_80_columns_and_groups_by_section(cli: RunCli) -> None:
    result = cli("trace", "--as-of", "2020-10-01")
    assert result.code == 0
    assert result.stderr == ""
    out = result.stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "\x1b[" not in out
    headings = ["Recommendations (1)", "Governance and understanding the problem (5)", "Enforcement (3)"]
    positions = [out.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "Practitioner raised or based recommendations (5)" in out
    assert "15 of 21 recommendations (71.4 %)" in out
    assert "Not covered: SELR-F1, SELR-P1, SELR-P2, SELR-P3, SELR-P4, SELR-P5." in out
    assert "By state: 6 not covered, 10 overdue, 5 planned." in out
    assert "SSYVP 21 references (18 distinct)" in out
    two_actions = next(line for line in out.splitlines() if line.startswith("SELR-3 "))
    assert "1 (2020-06), 2 (2021-03)" in two_actions  # an id is never wrapped away from its month
    row = next(line for line in out.splitlines() if line.startswith("SELR-5 "))
    assert "10 (2020-09)" in row
    assert row.rstrip().endswith("overdue")


# --- each rolled-up state, from small fixture plans ------------------------------------------


@pytest.mark.parametrize(
    ("actions", "as_of", "state"),
    [
        ([("not_reported", "2020-09")], "2020-09-30", "planned"),  # due today is not late
        ([("not_reported", "2020-09")], "2020-10-01", "overdue"),
        ([("planned", "2021-03"), ("not_reported", "2021-03")], "2020-10-01", "planned"),
        ([("in_progress", "2021-03")], "2020-10-01", "in_progress"),
        ([("complete", "2020-09"), ("planned", "2021-03")], "2020-10-01", "in_progress"),
        ([("complete", "2020-09"), ("complete", "2021-03")], "2020-10-01", "delivered"),
        ([("complete", "2020-06"), ("dropped", "2021-03")], "2020-10-01", "delivered"),  # dropped does not count
        ([("complete", "2020-06"), ("in_progress", "2020-09")], "2020-10-01", "overdue"),  # overdue beats progress
        ([("dropped", "2020-09"), ("in_progress", "2020-06")], "2020-10-01", "overdue"),
        ([("dropped", "2020-09"), ("dropped", "2021-03")], "2020-10-01", "dropped"),
        ([("dropped", "2020-09")], "2021-06-01", "dropped"),  # a dropped action is never overdue
    ],
)
def test_each_rolled_up_state(
    cli: RunCli, make_plan: MakePlan, register: Path, actions: list[tuple[str, str]], as_of: str, state: str
) -> None:
    plan = make_plan([acting(i, status, end) for i, (status, end) in enumerate(actions, start=1)])
    result = cli("trace", "--plan", plan, *only(register), "--as-of", as_of, "--format", "json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    first = data["recommendations"][0]
    assert first["id"] == "SELR-1"
    assert first["state"] == state
    assert first["actions"] == list(range(1, len(actions) + 1))
    assert first["covered"] is (state != "dropped")
    assert data["summary"]["by_state"][state] >= 1
    table = cli("trace", "--plan", plan, *only(register), "--as-of", as_of).stdout
    row = next(line for line in table.splitlines() if line.startswith("SELR-1 "))
    assert row.rstrip().endswith(state.replace("_", " "))


def test_not_covered_and_dropped_both_count_against_coverage(cli: RunCli, make_plan: MakePlan, register: Path) -> None:
    plan = make_plan([acting(1, "dropped", refs=("SELR-1",)), acting(2, "planned", "2021-03", refs=("SELR-2",))])
    data = trace_json(cli, "--plan", plan, *only(register), "--as-of", "2020-10-01")
    assert states(data) == {"SELR-1": "dropped", "SELR-2": "planned", "SELR-3": "not_covered", "SELR-P1": "not_covered"}
    assert (data["summary"]["covered"], data["summary"]["total"], data["summary"]["percent"]) == (1, 4, 25.0)
    assert data["summary"]["by_state"] == {
        "not_covered": 2,
        "dropped": 1,
        "overdue": 0,
        "delivered": 0,
        "in_progress": 0,
        "planned": 1,
    }
    table = cli("trace", "--plan", plan, *only(register), "--as-of", "2020-10-01").stdout
    assert "1 (dropped)" in table
    assert "1 of 4 recommendations (25.0 %)" in table
    assert "Not covered: SELR-1, SELR-3, SELR-P1." in table


def test_action_cell_marks_finished_actions(cli: RunCli, make_plan: MakePlan, register: Path) -> None:
    plan = make_plan([acting(1, "complete", "2020-06"), acting(2, "in_progress", "2021-03")])
    table = cli("trace", "--plan", plan, *only(register), "--as-of", "2020-10-01").stdout
    row = next(line for line in table.splitlines() if line.startswith("SELR-1 "))
    assert "1 (done), 2 (2021-03)" in row


ACTION_STATUSES = st.sampled_from(["not_reported", "planned", "in_progress", "complete", "dropped"])
END_MONTHS = st.sampled_from(["2020-03", "2020-06", "2020-09", "2020-12", "2021-03"])
AS_OF = st.dates(min_value=date(2020, 1, 1), max_value=date(2021, 12, 31))


def unit_action(action_id: int, status: str, end: str) -> Action:
    return Action(
        id=action_id,
        theme="governance",
        action="Do it.",
        outcomes="Done.",
        lead=["CSP"],
        start="2020-01",
        end=end,
        status=status,  # type: ignore[arg-type]
    )


@given(st.lists(st.tuples(ACTION_STATUSES, END_MONTHS), min_size=1, max_size=6), END_MONTHS, AS_OF)
def test_adding_a_dropped_action_changes_nothing_unless_all_are_dropped(
    specs: list[tuple[str, str]], dropped_end: str, as_of: date
) -> None:
    citing = [unit_action(i, status, end) for i, (status, end) in enumerate(specs, start=1)]
    with_dropped = [*citing, unit_action(99, "dropped", dropped_end)]
    assert rolled_up_state(with_dropped, as_of) == rolled_up_state(citing, as_of)
    assert rolled_up_state(citing, as_of) in TRACE_STATES


@given(st.lists(st.tuples(ACTION_STATUSES, END_MONTHS), max_size=6), AS_OF, AS_OF)
def test_overdue_never_goes_away_as_time_passes(specs: list[tuple[str, str]], first: date, second: date) -> None:
    citing = [unit_action(i, status, end) for i, (status, end) in enumerate(specs, start=1)]
    earlier, later = sorted((first, second))
    if rolled_up_state(citing, earlier) == "overdue":
        assert rolled_up_state(citing, later) == "overdue"
    # Whether a recommendation is covered does not depend on the date at all.
    uncovered = {"not_covered", "dropped"}
    assert (rolled_up_state(citing, earlier) in uncovered) == (rolled_up_state(citing, later) in uncovered)


# --- beyond the register ----------------------------------------------------------------------


def test_unknown_reference_is_shown_not_hidden_and_exits_1(cli: RunCli, make_plan: MakePlan, register: Path) -> None:
    plan = make_plan([acting(1, "planned", refs=("SELR-1",)), acting(2, "planned", refs=("SELR-2", "SELR-9"))])
    result = cli("trace", "--plan", plan, *only(register), "--as-of", "2020-05-01", "--format", "json")
    assert result.code == 1
    assert "SELR-9 is not in the SELR register" in result.stderr
    assert "[unknown-recommendation]" in result.stderr
    assert "traced anyway" in result.stderr
    data = json.loads(result.stdout)
    assert data["unknown_references"] == [{"action": 2, "reference": "SELR-9"}]
    assert states(data)["SELR-2"] == "planned"  # the rest of the trace is still there
    table = cli("trace", "--plan", plan, *only(register), "--as-of", "2020-05-01")
    assert table.code == 1
    assert "References not in their register: action 2 cites SELR-9." in table.stdout


def test_uncited_actions_are_listed(cli: RunCli, make_plan: MakePlan, register: Path) -> None:
    plan = make_plan([acting(1, "planned"), base_action(2, recommendations=[]), base_action(3, recommendations=[])])
    result = cli("trace", "--plan", plan, *only(register), "--as-of", "2020-05-01", "--format", "json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["uncited_actions"] == [2, 3]
    table = cli("trace", "--plan", plan, *only(register), "--as-of", "2020-05-01").stdout
    assert "Actions citing no recommendation: 2, 3." in table


def test_more_registers_make_more_sources_checkable(cli: RunCli, make_plan: MakePlan, tmp_path: Path) -> None:
    selr = write_register(tmp_path)
    jsna = write_register(tmp_path, "JSNA", [("health", "Health")], [("JSNA-1.7", "health"), ("JSNA-3.2", "health")])
    plan = make_plan(
        [
            acting(1, "planned", "2021-03", refs=("SELR-1", "JSNA-1.7", "LVRU-Gov-1")),
            acting(2, "planned", "2021-03", refs=("JSNA-1.7", "JSNA-9.9", "SSYVP-8", "SSYVP-8")),
        ]
    )
    only_selr = trace_json(cli, "--plan", plan, *only(selr), "--as-of", "2020-10-01")
    assert only_selr["unchecked_references"] == {"JSNA": 3, "SSYVP": 1, "LVRU": 1}  # a repeat counts once

    args = ("--plan", plan, *only(selr), "--register", jsna, "--as-of", "2020-10-01")
    result = cli("trace", *args, "--format", "json")
    assert result.code == 1  # JSNA-9.9 is now checkable, and wrong
    both = json.loads(result.stdout)
    assert [s["code"] for s in both["sources"]] == ["SELR", "JSNA"]
    assert states(both) == {
        "SELR-1": "planned",
        "SELR-2": "not_covered",
        "SELR-3": "not_covered",
        "SELR-P1": "not_covered",
        "JSNA-1.7": "planned",
        "JSNA-3.2": "not_covered",
    }
    assert {r["id"]: r["actions"] for r in both["recommendations"]}["JSNA-1.7"] == [1, 2]
    assert both["unknown_references"] == [{"action": 2, "reference": "JSNA-9.9"}]
    assert both["unchecked_references"] == {"SSYVP": 1, "LVRU": 1}
    assert (both["summary"]["covered"], both["summary"]["total"]) == (2, 6)
    table = cli("trace", *args).stdout
    assert "SELR: Governance (2)" in table  # section titles say which review they belong to
    assert "JSNA: Health (2)" in table

    jsna_only = trace_json(cli, *args, "--source", "jsna", code=1)  # any case; JSNA-9.9 is still wrong
    assert [r["id"] for r in jsna_only["recommendations"]] == ["JSNA-1.7", "JSNA-3.2"]
    assert (jsna_only["summary"]["covered"], jsna_only["summary"]["total"]) == (1, 2)
    assert jsna_only["unknown_references"] == [{"action": 2, "reference": "JSNA-9.9"}]


def test_a_second_register_for_the_same_source_is_an_error_not_double_rows(cli: RunCli, tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"  # another file: the same file named twice is read once
    copy.write_bytes(SHIPPED_REGISTER.read_bytes())
    result = cli("trace", "--register", copy, "--as-of", "2020-10-01")
    assert result.code == 1
    assert "[duplicate-register]" in result.stderr
    assert result.stdout.count("SELR-5 ") == 1


def test_a_plan_that_is_not_a_plan_stops_the_trace(cli: RunCli, make_plan: MakePlan, register: Path) -> None:
    result = cli("trace", "--plan", make_plan([base_action(1, end="2020-13")]), *only(register))
    assert result.code == 1
    assert result.stdout == ""
    assert "cheplan validate" in result.stderr


def test_a_broken_register_stops_the_trace(cli: RunCli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nsource: {code: SELR}\n", encoding="utf-8")
    result = cli("trace", "--register", broken, "--no-default-registers", "--as-of", "2020-10-01")
    assert result.code == 1
    assert result.stdout == ""  # not a trace claiming every SELR reference is merely unchecked


# --- filters and the CI gate ------------------------------------------------------------------


def test_uncovered_lists_only_recommendations_without_an_action(cli: RunCli) -> None:
    data = trace_json(cli, "--uncovered", "--as-of", "2020-10-01")
    assert [r["id"] for r in data["recommendations"]] == SHIPPED_UNCOVERED
    assert data["summary"]["shown"] == 6
    assert data["summary"]["total"] == 21  # the summary is still over every recommendation
    table = cli("trace", "--uncovered", "--as-of", "2020-10-01").stdout
    assert "SELR-5 " not in table
    assert "SELR-P3 " in table
    assert "not covered as of 2020-10-01" in table


def test_uncovered_when_everything_is_covered(cli: RunCli, make_plan: MakePlan, register: Path) -> None:
    plan = make_plan([acting(1, "planned", refs=("SELR-1", "SELR-2", "SELR-3", "SELR-P1"))])
    result = cli("trace", "--plan", plan, *only(register), "--uncovered", "--as-of", "2020-05-01")
    assert result.code == 0
    assert "Every recommendation has at least one implementing action." in result.stdout


@pytest.mark.parametrize(
    ("threshold", "code"),
    [("0", 0), ("71.4", 0), ("71.43", 1), ("72", 1), ("100", 1)],  # 15 of 21 is 71.43 %
)
def test_fail_under_on_the_shipped_data(cli: RunCli, threshold: str, code: int) -> None:
    result = cli("trace", "--fail-under", threshold, "--as-of", "2020-10-01", "--format", "json")
    assert result.code == code
    assert json.loads(result.stdout)["summary"]["covered"] == 15  # the output is written either way
    if code:
        assert "coverage 71.4 % (15 of 21) is below --fail-under" in result.stderr
    else:
        assert result.stderr == ""


def test_fail_under_at_exactly_the_threshold_passes(cli: RunCli, make_plan: MakePlan, register: Path) -> None:
    plan = make_plan([acting(1, "planned", refs=("SELR-1", "SELR-2"))])  # 2 of 4: exactly 50 %
    base = ("trace", "--plan", plan, *only(register), "--as-of", "2020-05-01")
    assert cli(*base, "--fail-under", "50").code == 0
    assert cli(*base, "--fail-under", "50.1").code == 1
    assert cli(*base, "--fail-under", "101").code == 2  # not a percentage


def test_fail_under_catches_an_edit_that_uncovers_a_recommendation(
    cli: RunCli, make_plan: MakePlan, register: Path
) -> None:
    refs = ("SELR-1", "SELR-2", "SELR-3", "SELR-P1")
    before = make_plan([acting(1, "planned", refs=refs)])
    after = make_plan([acting(1, "planned", refs=refs[:-1])])
    gate = (*only(register), "--as-of", "2020-05-01", "--fail-under", "100")
    assert cli("trace", "--plan", before, *gate).code == 0
    result = cli("trace", "--plan", after, *gate)
    assert result.code == 1
    assert "Not covered: SELR-P1." in result.stdout


# --- one recommendation in full ---------------------------------------------------------------


def test_one_recommendation_in_full(cli: RunCli) -> None:
    raw = yaml.safe_load(SHIPPED_REGISTER.read_text(encoding="utf-8"))
    text = next(r["text"] for r in raw["recommendations"] if r["id"] == "SELR-5")
    data = trace_json(cli, "SELR-5", "--as-of", "2021-04-01")
    assert data["id"] == "SELR-5"
    assert data["text"] == text  # verbatim
    assert data["state"] == "overdue"
    assert data["actions"] == [10]
    detail = data["action_details"][0]
    assert (detail["id"], detail["lead"], detail["start"], detail["end"]) == (
        10,
        ["LBS Community Safety & Partnerships"],
        "2020-01",
        "2020-09",
    )
    assert (detail["due"], detail["overdue"], detail["days_overdue"]) == ("2020-09-30", True, 183)
    assert detail["outcomes"].startswith("A regular produced borough wide")

    table = cli("trace", "SELR-5", "--as-of", "2021-04-01")
    assert table.code == 0
    out = table.stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert out.startswith("SELR-5: Drug profile and analysts' forum")
    assert "Develop the DAAT existing drug profile" in out
    assert "overdue as of 2021-04-01: action 10 is 183 days late" in out
    for field in ("Action 10", "• Outcomes", "• Lead", "• Dates", "• Status", "• Last progress"):
        assert field in out
    assert "2020-01 to 2020-09 (due 2020-09-30)" in out
    assert "not reported, 183 days overdue" in out
    assert "none reported" in out


def test_one_recommendation_shows_the_last_progress_note(cli: RunCli, make_plan: MakePlan, register: Path) -> None:
    action = acting(1, "in_progress", "2021-03")
    action["progress"] = [
        {"date": "2020-05-01", "status": "planned", "note": "Scoped."},
        {"date": "2020-08-14", "status": "in_progress", "note": "Forum met twice.", "by": "MPS"},
    ]
    plan = make_plan([action, acting(2, "dropped", refs=("SELR-1",))])
    result = cli("trace", "selr-1", "--plan", plan, *only(register), "--as-of", "2020-10-01", "-f", "csv")
    assert result.code == 0, result.stderr
    rows = {row["field"]: row["value"] for row in csv.DictReader(io.StringIO(result.stdout)) if row["field"]}
    assert rows["Text"] == "The full text of SELR-1, verbatim."
    assert rows["State"] == "in progress as of 2020-10-01"
    assert "2020-08-14, in progress (MPS): Forum met twice." in result.stdout
    assert "dropped" in result.stdout  # the dropped action is shown, its status saying why it does not count


def test_an_uncovered_recommendation_in_full(cli: RunCli) -> None:
    result = cli("trace", "SELR-P3", "--as-of", "2020-10-01", "--format", "markdown")
    assert result.code == 0
    assert result.stdout.startswith("## SELR-P3: Social care flag for cuckooing")
    assert "not covered as of 2020-10-01: no action in the plan cites SELR-P3" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("SELR-16",), "no recommendation SELR-16 in the SELR register (did you mean"),
        (("5",), "did you mean SELR-5?"),
        (("SELR 5",), 'did you mean "SELR-5"?'),
        (("JSNA-1.7",), "no JSNA register is loaded (loaded: SELR); cited by action 1"),
        (("--source", "LVRU"), "--source 'LVRU': no register for it is loaded (loaded: SELR)"),
        (("--as-of", "2020-02-30"), "--as-of"),
        (("--format", "xml"), "xml"),
    ],
)
def test_usage_errors_exit_2(cli: RunCli, args: tuple[str, ...], message: str) -> None:
    result = cli("trace", *args)
    assert result.code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_recommendation_outside_the_chosen_source(cli: RunCli, make_plan: MakePlan, tmp_path: Path) -> None:
    selr = write_register(tmp_path)
    jsna = write_register(tmp_path, "JSNA", [("health", "Health")], [("JSNA-1.7", "health")])
    plan = make_plan([acting(1, "planned", refs=("SELR-1", "JSNA-1.7"))])
    result = cli("trace", "SELR-1", "--plan", plan, "-r", selr, "-r", jsna, "--source", "JSNA")
    assert result.code == 2
    assert "SELR-1 is not in --source JSNA" in result.stderr


# --- every format -----------------------------------------------------------------------------


def test_markdown_reads_as_a_board_paper_table(cli: RunCli) -> None:
    result = cli("trace", "--as-of", "2020-10-01", "--format", "markdown")
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "## Southwark Extended Learning Review: coverage as of 2020-10-01"
    assert "### Governance and understanding the problem" in lines
    assert "### Practitioner raised or based recommendations" in lines
    assert lines.count("| ID | Title | Actions | State |") == 5  # one table per section
    assert "| SELR-3 | Shared narrative | 1 (2020-06), 2 (2021-03) | overdue |" in lines
    assert "| SELR-P1 | Clinical support for staff | none | not covered |" in lines
    assert any(line.startswith("Coverage as of 2020-10-01: 15 of 21 recommendations (71.4 %)") for line in lines)
    assert "  Enforcement: 3 of 3 covered  " in lines
    assert "\x1b[" not in result.stdout


def test_csv_has_one_row_per_recommendation(cli: RunCli) -> None:
    result = cli("trace", "--as-of", "2020-10-01", "--format", "csv")
    assert result.code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == list(SHIPPED_CITATIONS)
    assert list(rows[0]) == ["section", "id", "title", "actions", "state"]
    by_id = {r["id"]: r for r in rows}
    assert by_id["SELR-F1"]["actions"] == ""  # machines get an empty cell, people read "none"
    assert by_id["SELR-3"]["actions"] == "1 (2020-06), 2 (2021-03)"
    assert by_id["SELR-13"]["section"] == "Enforcement"
    assert "Coverage" not in result.stdout  # the summary is for people, not for the CSV


def test_json_contract(cli: RunCli) -> None:
    data = trace_json(cli, "--as-of", "2020-10-01")
    first = data["recommendations"][1]
    for key, kind in [
        ("id", str),
        ("title", str),
        ("section", str),
        ("state", str),
        ("actions", list),
        ("covered", bool),
    ]:
        assert isinstance(first[key], kind), key
    assert first["id"] == "SELR-1"
    assert all(isinstance(i, int) for r in data["recommendations"] for i in r["actions"])
    assert {r["state"] for r in data["recommendations"]} <= set(TRACE_STATES)
    assert set(data["summary"]["by_state"]) == set(TRACE_STATES)
    assert sum(data["summary"]["by_state"].values()) == data["summary"]["total"]
    for key in ("unknown_references", "uncited_actions", "unchecked_references", "as_of"):
        assert key in data


def test_table_limit_cuts_rows_for_people_only(cli: RunCli) -> None:
    result = cli("trace", "--as-of", "2020-10-01", "--limit", "3")
    assert "… and 18 more rows not shown" in result.stdout
    assert len(trace_json(cli, "--as-of", "2020-10-01", "--limit", "3")["recommendations"]) == 21


def test_summary_says_when_no_progress_is_on_record(cli: RunCli, make_plan: MakePlan) -> None:
    shipped = " ".join(cli("trace", "--as-of", "2020-05-01").stdout.split())  # unwrapped
    assert "No progress has been reported on any of the 12 implementing actions" in shipped
    entry = [{"date": "2020-05-01", "status": "in_progress", "note": "Started."}]
    plan = make_plan([base_action(1, status="in_progress", progress=entry), base_action(2)])
    partly = " ".join(cli("trace", "--plan", plan, "--as-of", "2020-05-02").stdout.split())
    assert "No progress reported yet on 1 of the 2 implementing actions." in partly


def test_trace_as_of_uses_the_status_on_record_that_day(cli: RunCli, make_plan: MakePlan) -> None:
    entry = {"date": "2021-02-01", "status": "complete", "note": "Delivered late."}
    plan = make_plan([base_action(1, end="2020-09", status="complete", progress=[entry])])

    def state(as_of: str) -> str:
        data = json.loads(cli("trace", "SELR-1", "--plan", plan, "--as-of", as_of, "--format", "json").stdout)
        return str(data["state"])

    assert state("2020-10-01") == "overdue"
    assert state("2021-02-01") == "delivered"


def test_trace_json_adds_the_organisation_ids_beside_the_printed_leads(cli: RunCli) -> None:
    listed = trace_json(cli, "--as-of", "2020-10-01")
    details = {d["id"]: d for r in listed["recommendations"] for d in r["action_details"]}
    assert details[33]["lead"] == ["LBS Regulatory Services", "Community Safety", "MPS"]
    assert sorted(details[33]["organisations"]) == ["lbs-community-safety", "lbs-regulatory-services", "mps-southwark"]
    one = trace_json(cli, "SELR-5", "--as-of", "2021-04-01")
    assert all(d["organisations"] for d in one["action_details"])
