"""A CSV table is handed to `csv.reader` a line at a time (no four-bytes-a-character copy of
the whole text): the records are the ones a file opened with newline="" gives."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from hypothesis import given
from hypothesis import strategies as st

from cheplan.loading.tables import _lines

PIECES = ["a", "é", ",", '"', "\r", "\n", "\r\n", " ", "\u2028", "\x0c", "ł"]
CSV_TEXT = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@given(CSV_TEXT)
def test_the_records_are_those_of_the_file_read_whole(text: str) -> None:
    def records(lines: Iterable[str]) -> list[list[str]] | str:
        try:
            return list(csv.reader(lines))
        except csv.Error as exc:
            return f"error: {exc}"

    assert records(_lines(text)) == records(io.StringIO(text, newline=""))


def test_every_line_ending_is_kept_with_its_line() -> None:
    assert list(_lines("a\r\nb\rc\nd")) == ["a\r\n", "b\r", "c\n", "d"]
