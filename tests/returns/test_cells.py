"""Reading what people type into a return's cells."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cheplan.questions.return_cells import CellError, read_date, read_id, read_month, read_status, read_text

DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(DATES)
def test_every_accepted_date_form_reads_back(day: date) -> None:
    forms = [
        day.isoformat(),
        f"{day.day} {day.strftime('%b')} {day.year}",
        f"{day.day} {day.strftime('%B')} {day.year}",
        f"{day.day:02d} {day.strftime('%B').upper()} {day.year}",
        datetime(day.year, day.month, day.day, 13, 5),
        day,
    ]
    for form in forms:
        assert read_date(form) == day, form


@given(DATES)
def test_a_slashed_text_date_is_refused_with_the_forms_to_type(day: date) -> None:
    for form in (day.strftime("%d/%m/%Y"), f"{day.day}/{day.month}/{day.year}", day.strftime("%d.%m.%y")):
        with pytest.raises(CellError, match=f"type {day.isoformat()} or "):
            read_date(form)


def test_the_us_reading_of_a_date_is_named() -> None:
    with pytest.raises(CellError) as caught:
        read_date("01/10/2020")
    assert str(caught.value) == "01/10/2020 could be 1 October or 10 January; type 2020-10-01 or 1 Oct 2020"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2021", "'31/02/2021' is not a real date; type one of 2020-10-01"),
        ("31 Feb 2021", "'31 Feb 2021' is not a real date (day is out of range for month)"),
        ("2021-13-01", "'2021-13-01' is not a real date (month must be in 1..12)"),
        ("next week", "'next week' is not a date: type one of 2020-10-01 (ISO)"),
        (44197, "44197 is a number, not a date"),
    ],
)
def test_dates_that_are_not(typed: object, message: str) -> None:
    with pytest.raises(CellError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        read_date(typed)


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("In Progress", "in_progress"),
        ("in_progress", "in_progress"),
        (" COMPLETE ", "complete"),
        ("Not  Reported", "not_reported"),
        ("dropped", "dropped"),
        ("Planned", "planned"),
    ],
)
def test_statuses_in_any_case_or_spacing(typed: str, status: str) -> None:
    assert read_status(typed) == status


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Done", "'Done' is not a status; did you mean 'complete'?"),
        ("in progres", "'in progres' is not a status; did you mean 'in progress'?"),
        ("Cancelled", "'Cancelled' is not a status; did you mean 'dropped'?"),
        ("xyzzy", "'xyzzy' is not a status; choose one of: not reported, planned, in progress, complete, dropped"),
    ],
)
def test_unknown_statuses_get_a_suggestion_never_a_guess(typed: str, message: str) -> None:
    with pytest.raises(CellError) as caught:
        read_status(typed)
    assert str(caught.value) == message


def test_months_ids_and_notes() -> None:
    assert read_month("2021-06") == "2021-06"
    assert read_month(datetime(2021, 6, 1)) == "2021-06"  # Excel turned the text into a date
    assert read_month("June 2021") == read_month("jun 2021") == "2021-06"
    bad: object
    for bad in ("June", "06/2021", 44348):
        with pytest.raises(CellError, match=r"not a month|a number"):
            read_month(bad)
    assert read_id(7) == read_id(7.0) == read_id(" 7 ") == 7
    for bad in ["seven", 7.5, True, -1, "٧"]:
        with pytest.raises(CellError):
            read_id(bad)
    assert read_text("  a\r\nb  ") == "a\nb"
    with pytest.raises(CellError, match="control character"):
        read_text("red \x1b[31m alert")


@given(st.text(max_size=30))
def test_any_typed_status_is_read_or_explained(typed: str) -> None:
    outcome: str
    try:
        outcome = read_status(typed)
    except CellError as exc:
        outcome = str(exc)
    assert outcome in {"not_reported", "planned", "in_progress", "complete", "dropped"} or "is not a status" in outcome


@pytest.mark.parametrize("typed", [time(12, 0), timedelta(hours=36), True])
def test_a_note_that_a_spreadsheet_turned_into_a_time_or_a_truth_value_is_refused(typed: object) -> None:
    # "12:00" typed into a note cell comes back as a time: recording "12:00:00" (or "True") is a guess.
    with pytest.raises(CellError, match="must be text"):
        read_text(typed)
