"""The status rule: on track at or beyond the straight line from baseline to target, in the better
direction; off track when not; no data when the latest value is more than two periods old."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cheplan.domain.indicators import Baseline, Indicator, IndicatorValue, Target
from cheplan.domain.periods import human_period, last_ended, period_at, period_end, period_index, period_problem
from cheplan.questions.indicators import expected_at, periods_due, standing


def make(better: str = "up", values: list[IndicatorValue] | None = None, **fields: Any) -> Indicator:
    return Indicator(
        id="x",
        title="X",
        unit=fields.get("unit", "count"),
        better=better,  # type: ignore[arg-type]
        baseline=fields.get("baseline", Baseline(value=100, period="2020-Q1")),
        target=fields.get("target", Target(value=60 if better == "down" else 140, by="2021-Q1")),
        owner="csp",
        source="test",
        values=values or [],
    )


def value(period: str, figure: float, **fields: Any) -> IndicatorValue:
    return IndicatorValue(period=period, value=figure, **fields)


AFTER_2021_Q1 = date(2021, 4, 15)


def test_up_is_better_on_and_off_the_line() -> None:
    assert expected_at(make(), "2020-Q3") == 120
    assert standing(make(values=[value("2020-Q3", 120)]), date(2020, 10, 1)).status == "on_track"  # on the line
    assert standing(make(values=[value("2020-Q3", 119.99)]), date(2020, 10, 1)).status == "off_track"


def test_down_is_better_mirrors_it() -> None:
    assert standing(make("down", [value("2020-Q3", 80)]), date(2020, 10, 1)).status == "on_track"
    assert standing(make("down", [value("2020-Q3", 81)]), date(2020, 10, 1)).status == "off_track"


def test_after_the_target_period_the_line_stays_at_the_target() -> None:
    assert expected_at(make(), "2022-Q4") == 140


def test_no_data_without_values_or_when_the_latest_is_more_than_two_periods_old() -> None:
    assert standing(make(), AFTER_2021_Q1).status == "no_data"
    two_old = make(values=[value("2020-Q3", 200)])
    assert standing(two_old, date(2021, 1, 5)).status == "on_track"  # 2020-Q4 ended: one period on
    assert standing(two_old, AFTER_2021_Q1).status == "on_track"  # 2021-Q1 ended: two periods on
    assert standing(two_old, date(2021, 7, 1)).status == "no_data"  # 2021-Q2 ended: three periods on


def test_a_correction_replaces_the_figure_and_keeps_the_old_one_on_record() -> None:
    corrected = make(
        "down", [value("2021-Q1", 90), IndicatorValue(corrects="2021-Q1", value=59, note="Appeals upheld.")]
    )
    found = standing(corrected, AFTER_2021_Q1)
    assert found.status == "on_track"
    assert found.latest is not None
    assert found.latest.value == 59
    assert [entry.value for entry in found.latest.corrected] == [90]


def test_values_after_the_as_of_date_do_not_count_yet() -> None:
    later = make(values=[value("2020-Q2", 110), value("2020-Q3", 10)])
    found = standing(later, date(2020, 7, 10))
    assert found.latest is not None
    assert found.latest.period == "2020-Q2"
    assert found.change == 10  # the first value's change is from the baseline


def test_change_since_the_previous_value() -> None:
    found = standing(make(values=[value("2020-Q2", 110), value("2020-Q3", 112.5)]), date(2020, 10, 1))
    assert found.change == 2.5


def test_the_periods_a_return_asks_for() -> None:
    assert periods_due(make(), AFTER_2021_Q1) == ["2020-Q2", "2020-Q3", "2020-Q4", "2021-Q1"]
    assert periods_due(make(values=[value("2020-Q4", 1)]), AFTER_2021_Q1) == ["2021-Q1"]
    assert len(periods_due(make(), date(2030, 1, 1))) == 8  # never more than a sheet offers
    monthly = make(baseline=Baseline(value=1, period="2020-03"), target=Target(value=9, by="2020-12"))
    assert periods_due(monthly, date(2020, 6, 30)) == ["2020-04", "2020-05", "2020-06"]


def test_period_arithmetic() -> None:
    assert period_end("2020-Q1") == date(2020, 3, 31)
    assert period_end("2020-02") == date(2020, 2, 29)
    assert last_ended(date(2021, 3, 31), "quarter") == "2021-Q1"
    assert last_ended(date(2021, 3, 30), "quarter") == "2020-Q4"
    assert human_period("2020-Q3") == "Q3 2020"
    assert human_period("2020-03") == "Mar 2020"
    assert 'did you mean "2020-Q1"' in (period_problem("2020q1") or "")
    assert period_problem("2020-Q5") is not None
    assert period_problem("2020-13") is not None


@given(st.sampled_from(["month", "quarter"]), st.integers(1900 * 4, 2999 * 4))
def test_a_period_round_trips_through_its_index(kind: str, index: int) -> None:
    period = period_at(kind, index if kind == "quarter" else index * 3)  # type: ignore[arg-type]
    assert period_problem(period) is None
    assert period_index(period) == (index if kind == "quarter" else index * 3)


@given(
    st.integers(-1000, 1000),
    st.integers(-1000, 1000),
    st.integers(1, 12),
    st.sampled_from(["up", "down"]),
)
def test_a_value_on_the_line_is_on_track_either_way(base: int, goal: int, step: int, better: str) -> None:
    """Exact arithmetic: a value exactly on the straight line is never lost to rounding."""
    indicator = make(
        better,
        unit="score",
        baseline=Baseline(value=base / 7, period="2020-01"),
        target=Target(value=goal / 3, by="2021-01"),
    )
    period = period_at("month", period_index("2020-01") + step)
    line = expected_at(indicator, period)
    on_line = make(better, [value(period, float(line))], unit="score", baseline=indicator.baseline,
                   target=indicator.target)  # fmt: skip
    status = standing(on_line, period_end(period)).status
    if float(line) == line:  # representable exactly as a float
        assert status == "on_track"
