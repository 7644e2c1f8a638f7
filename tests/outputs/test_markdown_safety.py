"""Markdown output rendered by a real CommonMark + GFM-table renderer (markdown-it-py): every
piece of plan text comes out as text, in the structure cheplan wrote, never as HTML or a link."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from cheplan.outputs.diff_formats import DiffReport
from cheplan.outputs.diff_formats import render_markdown as render_diff_markdown
from cheplan.outputs.formats import render
from cheplan.outputs.listing import Column, Listing
from cheplan.questions.diff import ActionChange, FieldChange, PlanDiff, RawActions
from tests.conftest import RunCli

HOSTILE = [
    "Title\n\n| forged | table |\n| --- | --- |\n| x | y |",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "# heading\n## another",
    "1. item",
    "- item",
    "+ item",
    "> quote",
    "```\ncode",
    "=====",
    "---",
    "&lt;script&gt; &#60;img&#62;",
    "*em* _em_ ~~del~~ `code` \\",
    "trailing ##",
    "    indented code",
    "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ \x1b[2J",
    "",
]


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    pending = parser().parse(text)
    while pending:
        token = pending.pop(0)
        found.append(token)
        pending[:0] = token.children or []
    return found


def assert_inert(text: str) -> None:
    """No HTML, no link or image, no control character: what the reader sees is text."""
    types = {t.type for t in tokens(text)}
    assert not types & {"html_block", "html_inline", "link_open", "image", "code_block", "fence"}, types
    html = parser().render(text)
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert not any(ord(c) < 32 and c != "\n" for c in text)


def hostile_listing(title: str, group_values: list[str], cells: list[str], footer: list[str]) -> Listing:
    rows: list[dict[str, Any]] = [
        {"group": group_values[i % len(group_values)], "id": i, "text": cell, "lead": [cell, "X"]}
        for i, cell in enumerate(cells)
    ]
    return Listing(
        data=[],
        columns=[
            Column("id", "ID", justify="right"),
            Column("text", "Text", max_chars=12, ratio=1),
            Column("lead", "Lead"),
        ],
        rows=rows,
        title=title,
        group_by="group",
        footer=footer,
        empty_message=title,
    )


def check_structure(listing: Listing) -> None:
    text = render(listing, "markdown")
    assert_inert(text)
    found = tokens(text)
    group_count = len({str(row["group"]) for row in listing.rows})
    headings = [t for t in found if t.type == "heading_open"]
    # One h2 for the title, one h3 per group: no heading forged, none lost.
    assert [h.tag for h in headings] == ["h2"] * bool(listing.title) + ["h3"] * group_count
    assert sum(t.type == "table_open" for t in found) == group_count
    assert sum(t.type == "tr_open" for t in found) == group_count + len(listing.rows)  # header rows + data rows
    assert sum(t.type in ("td_open", "th_open") for t in found) == 3 * (group_count + len(listing.rows))
    assert not any(t.type in ("bullet_list_open", "ordered_list_open", "blockquote_open", "hr") for t in found)


def test_hostile_titles_groups_cells_and_footers_stay_text() -> None:
    check_structure(hostile_listing(HOSTILE[0], HOSTILE[:6], HOSTILE, HOSTILE))


def test_a_forged_table_in_a_title_is_one_heading() -> None:
    text = render(hostile_listing(HOSTILE[0], ["A"], ["x"], []), "markdown")
    headings = [t for t in tokens(text) if t.type == "heading_open"]
    assert len(headings) == 2
    inline = next(t for t in tokens(text) if t.type == "inline")
    assert inline.content.startswith("Title")
    assert "forged" in inline.content  # on the heading's own line, shown as text


def test_escaped_text_reads_back_as_written() -> None:
    """Escaping only stops syntax: a reader sees the same characters (newlines as spaces)."""
    title = "<b>a</b> & [b](c) *d* #1. `e` | ~f~ \\ g#"
    text = render(hostile_listing(title, ["A"], [title], []), "markdown")
    heading = next(t for t in tokens(text) if t.type == "text")
    assert heading.content == title


def test_empty_message_and_footer_lines_cannot_start_blocks() -> None:
    listing = Listing(data=[], columns=[], rows=[], title="t", empty_message="- 1. # > <p>", footer=["1) x", "# y"])
    text = render(listing, "markdown")
    assert_inert(text)
    assert [t.type for t in tokens(text) if t.type.endswith("_open")] == [
        "heading_open",
        "paragraph_open",
        "paragraph_open",
    ]


text_with_specials = st.text(
    alphabet=st.one_of(st.sampled_from(list("<>&[]()!*_`#|\\-+=.:;/ \n\t\r~\"'1aZ")), st.characters()), max_size=40
)


@settings(max_examples=150, deadline=None)
@given(
    title=text_with_specials,
    group_values=st.lists(text_with_specials, min_size=1, max_size=3),
    cells=st.lists(text_with_specials, min_size=1, max_size=5),
    footer=st.lists(text_with_specials, max_size=3),
)
def test_any_plan_text_keeps_the_structure(
    title: str, group_values: list[str], cells: list[str], footer: list[str]
) -> None:
    check_structure(hostile_listing(title, group_values, cells, footer))


def _diff(texts: list[str]) -> tuple[PlanDiff, RawActions]:
    actions = RawActions({i: {"id": i, "action": text} for i, text in enumerate(texts)})
    sentence_change = FieldChange("theme", "a", "b", [f"theme {t} → x" for t in texts])
    change = PlanDiff(added=list(actions.by_id), removed=[], changed=[ActionChange(0, [sentence_change])], coverage=[])
    return change, actions


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(text_with_specials, min_size=1, max_size=4), name=text_with_specials, base=text_with_specials)
def test_diff_markdown_list_items_stay_list_items(texts: list[str], name: str, base: str) -> None:
    change, actions = _diff(texts)
    text = render_diff_markdown(DiffReport(change, RawActions(), actions, name, base))
    assert_inert(text)
    found = tokens(text)
    assert [t.tag for t in found if t.type == "heading_open"] == ["h3"]
    # The added actions, one changed action, and its sentences: three lists, no more.
    assert sum(t.type == "bullet_list_open" for t in found) == 3
    assert sum(t.type == "list_item_open" for t in found) == 2 * len(texts) + 1


def test_diff_markdown_shows_the_whole_action_text() -> None:
    long = "Word " * 40 + "the end."
    change, actions = _diff([long])
    text = render_diff_markdown(DiffReport(change, RawActions(), actions, "plan.yaml", "HEAD"))
    assert "the end." in text
    assert "…" not in text


def test_markdown_of_listing_commands_is_never_cut(cli: RunCli) -> None:
    from cheplan.loading.load import load_plan
    from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER

    plan = load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER]).plan
    longest = max(plan.actions, key=lambda a: len(a.action))
    for args in (["actions"], ["overdue", "--as-of", "2021-04-01"], ["actions", str(longest.id)]):
        result = cli(*args, "--format", "markdown")
        assert result.code == 0
        assert "…" not in result.stdout, args
        shown = parser().parse(result.stdout)
        cells = ["".join(c.content for c in t.children or []) for t in shown if t.type == "inline"]
        assert " ".join(longest.action.split()) in cells, args
