"""`cheplan calendar`: deadlines as iCalendar, checked with an independent parser (ics)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import ics
import pytest

from tests.conftest import SHIPPED_PLAN, MakePlan, RunCli, base_action, plan_data


def events(text: str) -> dict[str, ics.Event]:
    calendar = ics.Calendar(text)
    return {event.uid: event for event in calendar.events}


@pytest.fixture
def plan(make_plan: MakePlan) -> Path:
    progress = [
        {"date": "2020-11-01", "status": "in_progress", "note": "Agreed by the board", "revised_end": "2021-06"}
    ]
    return make_plan(
        [
            base_action(
                1,
                lead=["MPS"],
                end="2020-12",
                action="Share data between agencies.",
                status="in_progress",
                progress=progress,
            ),
            base_action(2, lead=["NPS"], end="2021-02"),
            base_action(3, lead=["MPS"], status="complete", progress=[{"date": "2020-10-01", "status": "complete"}]),
            base_action(4, lead=["All"], end="2021-01"),
        ]
    )


def test_one_all_day_event_per_unfinished_action(cli: RunCli, plan: Path) -> None:
    result = cli("calendar", "--plan", plan, "--as-of", "2020-12-15")
    assert result.code == 0, result.stderr
    found = events(result.stdout)
    assert len(found) == 3  # action 3 is complete
    by_summary = {e.name: e for e in found.values()}
    first = by_summary["Action 1 due: Share data between agencies."]
    assert first.all_day
    assert first.begin.date() == date(2021, 6, 30)  # the effective end, not the baseline
    assert first.end.date() == date(2021, 7, 1)  # exclusive
    assert "Share data between agencies." in first.description
    assert "Lead: MPS" in first.description
    assert "Dec 2020 → Jun 2021 (+6 months, agreed 2020-11-01)" in first.description
    assert by_summary["Action 2 due: Action number 2."].begin.date() == date(2021, 2, 28)


def test_uids_are_stable_and_output_deterministic(cli: RunCli, plan: Path, make_plan: MakePlan) -> None:
    first = cli("calendar", "--plan", plan, "--as-of", "2020-12-15").stdout
    assert cli("calendar", "--plan", plan, "--as-of", "2020-12-15").stdout == first
    assert "DTSTAMP:20201215T000000Z" in first
    update = cli("update", "2", "--status", "in_progress", "--date", "2020-12-10", "--plan", plan)
    assert update.code == 0, update.stderr
    later = cli("calendar", "--plan", plan, "--as-of", "2021-01-05").stdout
    assert set(events(later)) == set(events(first))  # progress does not change who an event is


def test_lead_gives_one_partners_feed(cli: RunCli, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "mps.ics"
    result = cli("calendar", "--plan", plan, "--as-of", "2020-12-15", "--lead", "MPS", "--out", out)
    assert result.code == 0, result.stderr
    found = events(out.read_text(encoding="utf-8"))
    assert sorted(e.name.split(" due")[0] for e in found.values()) == ["Action 1", "Action 4"]
    assert all(uid.endswith("-mps@cheplan") for uid in found)
    everyone = events(cli("calendar", "--plan", plan, "--as-of", "2020-12-15").stdout)
    assert all(uid.endswith("-all@cheplan") for uid in everyone)
    assert not set(found) & set(everyone)


def test_the_shipped_plan_parses(cli: RunCli) -> None:
    result = cli("calendar", "--plan", SHIPPED_PLAN, "--as-of", "2020-04-01")
    assert len(events(result.stdout)) == 38
    unknown = cli("calendar", "--plan", SHIPPED_PLAN, "--lead", "Nobody at all")
    assert unknown.code == 2


def test_control_characters_never_reach_the_calendar(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, lead=["MPS\x1b]0;x\x07"], action="Wipe \x1b[2J screen")])
    result = cli("calendar", "--plan", plan, "--as-of", "2020-12-15")
    assert result.code == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout
    [event] = events(result.stdout).values()
    assert event.name == "Action 1 due: Wipe \\x1b[2J screen"


def test_a_plan_title_cannot_inject_calendar_properties(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(1, lead=["MPS"])], plan={**plan_data()["plan"], "title": "T\nX-EVIL:1, a; b"})
    result = cli("calendar", "--plan", plan, "--as-of", "2020-12-15")
    assert result.code == 0, result.stderr
    assert "\nX-EVIL" not in result.stdout.replace("\r\n", "\n")
    [name] = [line for line in ics.Calendar(result.stdout).extra if line.name == "X-WR-CALNAME"]
    assert name.value == "T\\nX-EVIL:1\\, a\\; b: deadlines"


def test_c1_control_characters_never_reach_the_calendar(cli: RunCli, make_plan: MakePlan) -> None:
    # U+009B is CSI, U+009D is OSC: a terminal showing the feed would obey them as ESC [ and ESC ].
    plan = make_plan([base_action(1, lead=["MPS"], action="Wipe \x9b2J screen \x9d0;title\x9c")])
    result = cli("calendar", "--plan", plan, "--as-of", "2020-12-15")
    assert result.code == 0, result.stderr
    assert not any("\x80" <= char <= "\x9f" for char in result.stdout)
    [event] = events(result.stdout).values()
    assert event.name == "Action 1 due: Wipe \\x9b2J screen \\x9d0;title\\x9c"


def test_ownership_is_asked_once_per_event(make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch) -> None:
    # It was asked once per organisation per event: 5,000 actions and 300 partners took 11 s.
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import resolve_registers
    from cheplan.outputs import calendar
    from cheplan.questions.organisations import directory_of
    from cheplan.questions.organisations import organisations_of as real_organisations_of

    plan = make_plan([base_action(n, lead=[f"Org {n % 30}"]) for n in range(1, 61)])
    loaded = load_plan(plan, resolve_registers(None))
    calls: list[object] = []

    def counting(*args: Any) -> list[str]:
        calls.append(args)
        return real_organisations_of(*args)

    monkeypatch.setattr(calendar, "organisations_of", counting)
    feed = calendar.Feed(loaded.plan, directory_of(loaded.plan), loaded.plan.actions, date(2020, 12, 15))
    assert "Organisations: Org 1\n" in calendar.description(feed, loaded.plan.actions[0])
    assert len(calls) == 1
