"""Renderers tested directly, by name from the registry, independent of any command."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum

import pytest

from cheplan.outputs.cells import shorten
from cheplan.outputs.formats import (
    RENDERERS,
    DiffFormat,
    ListingFormat,
    ProblemFormat,
    ReportFormat,
    ReturnsFormat,
    render,
    renderer,
)
from cheplan.outputs.listing import Column, Listing
from cheplan.outputs.table_format import render_table


def listing(rows: int = 3, **kwargs: object) -> Listing:
    return Listing(
        data=[{"id": i} for i in range(rows)],
        columns=[
            Column("id", "ID", justify="right"),
            Column("text", "Text", max_chars=12, ratio=1),
            Column("lead", "Lead"),
        ],
        rows=[
            {"group": "A" if i < 2 else "B", "id": i, "text": f"row {i} | with a long tail", "lead": ["X", "Y"]}
            for i in range(rows)
        ],
        title="Title",
        footer=["3 things."],
        **kwargs,  # type: ignore[arg-type]
    )


def test_registry_names() -> None:
    assert sorted(RENDERERS[ListingFormat]) == ["csv", "csv-excel", "json", "markdown", "table"]


@pytest.mark.parametrize("kind", [ListingFormat, ProblemFormat, DiffFormat, ReturnsFormat, ReportFormat])
def test_every_format_a_command_offers_has_its_renderer(kind: type[StrEnum]) -> None:
    assert list(RENDERERS[kind]) == list(kind)
    for choice in kind:
        assert callable(renderer(choice))


def test_json_is_the_data_contract_not_the_table() -> None:
    assert json.loads(render(listing(), "json")) == [{"id": 0}, {"id": 1}, {"id": 2}]


def test_csv_keeps_whole_cells_and_joins_lists() -> None:
    rows = list(csv.reader(io.StringIO(render(listing(group_by="group"), "csv"))))
    assert rows[0] == ["group", "id", "text", "lead"]
    assert rows[1] == ["A", "0", "row 0 | with a long tail", "X; Y"]
    assert len(rows) == 4


def test_markdown_escapes_pipes_keeps_whole_text_and_groups() -> None:
    text = render(listing(group_by="group"), "markdown")
    assert "## Title" in text
    assert "### A" in text
    assert "### B" in text
    assert "row 0 \\| with a long tail |" in text  # board papers need the whole text
    assert "| ---: | --- | --- |" in text
    assert text.rstrip().endswith("3 things.")


def test_markdown_empty() -> None:
    assert "Nothing here." in render(Listing(data=[], columns=[], rows=[], empty_message="Nothing here."), "markdown")


def test_table_groups_with_counts_and_limit_note() -> None:
    text = render_table(listing(group_by="group"), limit=2, width=60)
    assert "A (2)" in text
    assert "B (1)" not in text  # cut by the limit
    assert "… and 1 more rows not shown" in text
    assert max(len(line) for line in text.splitlines()) <= 60


def test_table_has_colour_only_when_asked() -> None:
    assert "\x1b[" not in render_table(listing(), width=80)
    assert "\x1b[" in render_table(listing(), width=80, color=True)


@pytest.mark.parametrize(
    ("text", "limit", "expected"), [("a  b\nc", None, "a b c"), ("abcdef", 4, "abc…"), ("abc", 3, "abc")]
)
def test_shorten(text: str, limit: int | None, expected: str) -> None:
    assert shorten(text, limit) == expected


def test_machine_formats_do_not_import_rich() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from cheplan.outputs.formats import render; from cheplan.outputs.listing import Listing, Column;"
        "r = Listing(data=[1], columns=[Column('a','A')], rows=[{'a': 1}]);"
        "[render(r, f) for f in ('json','csv','markdown')]; print('rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
