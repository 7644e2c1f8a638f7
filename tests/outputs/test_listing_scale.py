"""Listings of a very large plan stay linear and readable: pinned by counting, never by time.

A recommendation that 100,000 actions implement made one table cell of 1.6 million characters
(Rich wraps such a cell in quadratic time), every listing built its JSON even for a table, and
`--limit 0` laid out 100,000 rows. The speed itself is measured in benchmarks/budget_listings.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cheplan.domain import caps
from cheplan.domain.model import Plan
from cheplan.outputs import (
    action_listings,
    json_text,
    markdown_format,
    rag_listings,
    recommendation_listing,
    table_format,
    trace_listings,
)
from cheplan.outputs.cells import shorten
from cheplan.outputs.listing import Column, Listing
from tests.conftest import MakePlan, RunCli, base_action, count_calls

AS_OF = "2020-10-01"


def _many(count: int, **fields: Any) -> list[dict[str, Any]]:
    """`count` actions, each citing SELR-1 (base_action's reference)."""
    return [base_action(i, **fields) for i in range(1, count + 1)]


# --- shortening a list of items --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("1 (a), 2 (b), 3 (c), 4 (d)", 14, "1 (a), 2 (b) … and 2 more actions"),
        ("1 (a), 2 (b), 3 (c), 4 (d)", 7, "1 (a) … and 3 more actions"),
        ("1 (a), 2 (b)", 12, "1 (a), 2 (b)"),  # short enough: whole
        ("12345678 (a), 2 (b)", 5, "1234…"),  # no whole item fits: cut as any text
    ],
)
def test_a_list_is_cut_after_a_whole_item_saying_how_many_were_left_out(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit, "action") == expected


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=60), st.integers(2, 200))
def test_the_items_shown_and_the_count_left_out_add_up(ids: list[int], limit: int) -> None:
    text = ", ".join(f"{i} (2020-05)" for i in ids)
    shown = shorten(text, limit, "action")
    found = re.fullmatch(r"(.*) … and ([\d,]+) more actions?", shown)
    if found is None:  # whole, or no whole item fits
        assert shown == text or (shown.endswith("…") and len(shown) <= limit)
        return
    listed = found.group(1).split(", ")
    assert listed == text.split(", ")[: len(listed)]
    assert len(listed) + int(found.group(2).replace(",", "")) == len(ids)


# --- trace: one recommendation, many actions -------------------------------------------------


def test_a_recommendation_of_many_actions_is_a_short_row_in_a_table_and_whole_elsewhere(
    cli: RunCli, make_plan: MakePlan
) -> None:
    plan = make_plan(_many(60))
    table = cli("trace", "--plan", plan, "--as-of", AS_OF)
    assert table.code == 0
    left_out = re.search(r"…\s+and\s+(\d+)\s+more\s+actions", table.stdout)
    assert left_out is not None, table.stdout
    assert 0 < int(left_out.group(1)) < 60
    assert "60 (2021-03)" not in table.stdout
    rows = list(csv.DictReader(io.StringIO(cli("trace", "--plan", plan, "--as-of", AS_OF, "-f", "csv").stdout)))
    whole = next(r["actions"] for r in rows if r["id"] == "SELR-1")
    assert whole == ", ".join(f"{i} (2021-03)" for i in range(1, 61))
    markdown = cli("trace", "--plan", plan, "--as-of", AS_OF, "-f", "markdown").stdout
    assert whole in markdown
    assert "more actions" not in markdown


def test_only_a_machine_format_makes_the_json(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_plan(_many(30))
    briefs = count_calls(monkeypatch, trace_listings, "action_brief")
    details = count_calls(monkeypatch, recommendation_listing, "action_json")
    neglected = count_calls(monkeypatch, rag_listings, "_neglected_json")
    for command in (("trace",), ("trace", "SELR-1"), ("stale",)):
        for form in ("table", "csv", "markdown"):
            assert cli(*command, "--plan", plan, "--as-of", AS_OF, "-f", form).code == 0
    assert briefs == []
    assert len(details) == 3  # one per detail run: the first action's, for the records' keys
    assert neglected == []
    assert cli("trace", "--plan", plan, "--as-of", AS_OF, "-f", "json").code == 0
    assert len(briefs) == 30
    assert cli("stale", "--plan", plan, "--as-of", AS_OF, "-f", "json").code == 0
    assert len(neglected) == 30  # none reported since they started in April


def test_the_state_names_some_late_actions_and_counts_the_rest(cli: RunCli, make_plan: MakePlan) -> None:
    late = recommendation_listing.NAMED_LATE + 5
    plan = make_plan(_many(late, end="2020-06"))
    out = cli("trace", "SELR-1", "--plan", plan, "--as-of", AS_OF, "-f", "csv").stdout
    state = next(r["value"] for r in csv.DictReader(io.StringIO(out)) if r["field"] == "State")
    assert state.startswith("overdue as of 2020-10-01: action 1 is 93 days late, action 2 is")
    assert f"action {late - 5} is" in state
    assert f"action {late - 4} is" not in state
    assert state.endswith(", and 5 more actions (each below)")


def test_one_recommendations_details_are_written_a_slice_at_a_time(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The JSON text is the standard library's, and no more than a slice of actions' details
    exists before the first is written."""
    plan = make_plan(_many(23, end="2020-06"))
    monkeypatch.setattr(json_text, "ROWS_PER_PIECE", 5)
    made = count_calls(monkeypatch, recommendation_listing, "action_json")
    made_when_written: list[int] = []
    real = json_text._list_pieces

    def watched(*args: Any) -> Any:
        for piece in real(*args):
            made_when_written.append(len(made))
            yield piece

    monkeypatch.setattr(json_text, "_list_pieces", watched)
    out = cli("trace", "SELR-1", "--plan", plan, "--as-of", AS_OF, "-f", "json").stdout
    data = json.loads(out)
    assert out == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert [d["id"] for d in data["action_details"]] == list(range(1, 24))
    assert list(data)[list(data).index("actions") + 1] == "action_details"  # where it always stood
    assert made_when_written[0] <= 1 + 5  # the keys' action and the first slice
    assert len(made_when_written) == 6  # five slices of at most 5, and the closing bracket


def test_records_inside_a_mapping_stream_as_the_standard_library_writes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_text, "ROWS_PER_PIECE", 2)
    keys = ("id", "lead", "note")
    records = [(i, ["A", "B"][: i % 3], None if i % 2 else f"n\u2028{i}") for i in range(7)]
    for rows in (records, []):
        made = Listing(
            data=lambda: {"id": "X", "details": None, "after": {"a": [1, 2.5, None]}},
            columns=[],
            rows=[],
            records=(keys, lambda rows=rows: iter(rows)),  # type: ignore[misc]
            records_key="details",
        )
        expected = json.dumps(made.json_data(), indent=2, ensure_ascii=False) + "\n"
        assert "".join(json_text.json_pieces(made)) == expected
        assert json.loads(expected)["details"] == [dict(zip(keys, r, strict=True)) for r in rows]


def test_actions_json_is_written_a_slice_at_a_time(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_plan(_many(12))
    monkeypatch.setattr(json_text, "ROWS_PER_PIECE", 5)
    pieces = count_calls(monkeypatch, json_text, "_records_text")
    out = cli("actions", "--plan", plan, "--as-of", AS_OF, "-f", "json").stdout
    assert out == json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n"
    assert [a["id"] for a in json.loads(out)] == list(range(1, 13))
    assert len(pieces) == 3
    assert action_listings  # the module whose listing gives records


# --- the table's own bounds ------------------------------------------------------------------


def test_no_cell_hands_rich_more_than_the_value_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """A value at the cap is shown whole; a cell made of more (many values joined) is cut."""
    monkeypatch.setattr(caps, "MAX_SCALAR_CHARS", 300)
    import rich.text

    given_to_rich: list[int] = []
    real = rich.text.Text

    class Counted(real):  # type: ignore[valid-type,misc]
        def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
            given_to_rich.append(len(text))
            super().__init__(text, *args, **kwargs)

    monkeypatch.setattr(rich.text, "Text", Counted)
    at_cap, over = "a" * 299 + "z", "word " * 1_000
    listed = Listing(
        data=None,
        columns=[Column("id", "ID", no_wrap=True), Column("value", "Value", ratio=1)],
        rows=[{"id": 1, "value": at_cap}, {"id": 2, "value": over}],
        footer=["Every one: " + over],
    )
    text = table_format.render_table(listed, width=120)
    assert max(given_to_rich) <= 300
    assert "".join(text.split()).count("a" * 299 + "z") == 1  # whole, however wrapped
    assert text.count("…") == 2  # the long cell and the long footer line


def test_a_table_longer_than_its_cap_is_refused_before_it_is_laid_out(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caps, "MAX_TABLE_ROWS", 3)
    laid_out = count_calls(monkeypatch, table_format, "render_table")
    plan = make_plan(_many(5))
    for limit in ("0", "4"):
        refused = cli("actions", "--plan", plan, "--as-of", AS_OF, "--limit", limit)
        assert refused.code == 2
        assert refused.stdout == ""
        assert "a table shows at most 3 rows" in refused.stderr
        assert "--format csv" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    assert laid_out == []
    shown = cli("actions", "--plan", plan, "--as-of", AS_OF, "--limit", "2")
    assert shown.code == 0
    assert "(--limit shows up to 3; --format csv/json shows all)" in " ".join(shown.stdout.split())
    assert len(list(csv.reader(io.StringIO(cli("actions", "--plan", plan, "-f", "csv").stdout)))) == 1 + 5
    small = make_plan(_many(3))
    assert cli("actions", "--plan", small, "--as-of", AS_OF, "--limit", "0").code == 0


def test_a_table_of_more_groups_than_its_cap_is_refused_before_it_is_laid_out(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each group is a table of its own: a theme per action costs a table per row."""
    monkeypatch.setattr(caps, "MAX_TABLE_GROUPS", 2)
    laid_out = count_calls(monkeypatch, table_format, "render_table")
    themes = [{"id": f"t{i}", "title": f"Theme {i}", "description": "One action."} for i in range(1, 4)]
    plan = make_plan([base_action(i, theme=f"t{i}") for i in range(1, 4)], themes=themes)
    refused = cli("actions", "--plan", plan, "--as-of", AS_OF, "--limit", "0")
    assert refused.code == 2
    assert "a table shows at most 2 groups, and this one would show 3;" in refused.stderr
    assert laid_out == []
    assert cli("actions", "--plan", plan, "--as-of", AS_OF, "--limit", "2").code == 0
    assert cli("actions", "--plan", plan, "--as-of", AS_OF, "-f", "markdown").code == 0
    assert len(laid_out) == 1


def test_listing_and_filtering_by_theme_never_scan_the_themes_per_action(
    cli: RunCli, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Plan.theme` scans the themes: once per action, 5,000 themes cost 100,000 actions 5 s."""
    scans = count_calls(monkeypatch, Plan, "theme")
    themes = [{"id": f"t{i}", "title": f"Theme {i}", "description": "D."} for i in range(1, 4)]
    plan = make_plan([base_action(i, theme=f"t{i % 3 + 1}") for i in range(1, 31)], themes=themes)
    for form in ("table", "json", "csv"):
        assert cli("actions", "--plan", plan, "--as-of", AS_OF, "-f", form).code == 0
    picked = cli("actions", "--plan", plan, "--as-of", AS_OF, "--theme", "theme 2", "-f", "csv")
    assert [row["id"] for row in csv.DictReader(io.StringIO(picked.stdout))] == [str(i) for i in range(1, 31, 3)]
    assert {row["theme"] for row in csv.DictReader(io.StringIO(picked.stdout))} == {"Theme 2"}
    assert cli("overdue", "--plan", plan, "--as-of", "2021-04-15", "--theme", "t3").code == 0
    assert scans == []


def test_markdown_escapes_each_distinct_value_of_a_column_once(monkeypatch: pytest.MonkeyPatch) -> None:
    escaped = count_calls(monkeypatch, markdown_format, "_markdown_cell")
    rows: list[dict[str, Any]] = [{"status": "late", "lead": ["A", "B"], "id": i} for i in range(1_000)]
    rows += [{"status": 1, "lead": [1], "id": -1}, {"status": "1", "lead": ["1"], "id": -2}]
    text = markdown_format.render_markdown(
        Listing(data=None, columns=[Column("status", "S"), Column("lead", "L"), Column("id", "I")], rows=rows)
    )
    assert len(escaped) == 3 + 3 + 1_002  # "late", 1 and "1"; the three leads; every id
    assert text.count("| late | A; B |") == 1_000
    assert text.endswith("| 1 | 1 | -1 |\n| 1 | 1 | -2 |\n")
