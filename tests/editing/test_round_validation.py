"""The validation of a rounds-only edit by its block (editing.round_validation) against the full one.

Whatever the edit, the block's validation either declines (None) or gives exactly what the
full validation gives: valid, the same data, the same plan, the same top-level key lines.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cheplan.domain.errors import UsageError
from cheplan.domain.rounds import ReturnReceived, SentMessage
from cheplan.editing.round_blocks import find_region
from cheplan.editing.round_validation import revalidated
from cheplan.editing.rounds import RoundChange, edit_rounds
from cheplan.loading.load import Source, Validation, validate_sources
from tests.conftest import SHIPPED_PLAN

NAME = "plan.yaml"
ORGANISATIONS = ["nps", "southwark-crc", "cheb", "nobody-of-the-plan"]


def _validated(text: str) -> Validation:
    return validate_sources(Source(text, NAME), [])


@functools.cache
def _base(rounds_in_the_middle: bool) -> str:
    """The shipped plan with a round recorded: its `rounds:` block last, or before `organisations:`."""
    text = SHIPPED_PLAN.read_text(encoding="utf-8")
    change = RoundChange("2020-Q3", as_of="2020-09-30", deadline="2020-10-21", messages=(_message("nps", 0),))
    edited = edit_rounds(text, [change], _validated(text), NAME)
    assert edited is not None
    text = edited[0]
    if rounds_in_the_middle:
        region = find_region(text, NAME)
        assert region is not None
        block = text[region.start : region.end]
        text = text[: region.start] + text[region.end :]
        text = text.replace("\norganisations:\n", "\n" + block + "organisations:\n", 1)
    assert _validated(text).ok
    return text


def _message(organisation: str, n: int) -> SentMessage:
    return SentMessage(
        organisation=organisation, kind="send", to=[f"returns@{organisation}.example.org"],
        message_id=f"<m{n}@council.example.org>", sent="2020-09-30T09:00:00Z",
    )  # fmt: skip


def _same_as_full(before_text: str, after_text: str) -> Validation | None:
    """The block's verdict, checked against the full validation's whenever it gives one."""
    before = _validated(before_text)
    found = revalidated(before_text, before, after_text, NAME)
    if found is not None:
        full = _validated(after_text)
        assert full.ok, [p.message for p in full.errors]
        assert found.documents == full.documents
        assert found.plan == full.plan
        assert found.top_keys == full.top_keys
    return found


changes = st.builds(
    RoundChange,
    round_id=st.sampled_from(["2020-Q3", "2020-Q4"]),
    as_of=st.just("2020-12-01"),
    deadline=st.sampled_from([None, "2020-10-21", "2020-11-30", "2020-12-20"]),
    meeting=st.sampled_from([None, "2020-11-04", "2021-03-03"]),
    messages=st.lists(st.builds(_message, st.sampled_from(ORGANISATIONS), st.integers(1, 9)), max_size=3).map(tuple),
    returned=st.lists(
        st.builds(ReturnReceived, organisation=st.sampled_from(ORGANISATIONS), date=st.just("2020-10-05")), max_size=2
    ).map(tuple),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(middle=st.booleans(), change=changes)
def test_a_round_edit_is_validated_as_the_whole_plan_would_be(middle: bool, change: RoundChange) -> None:
    text = _base(middle)
    try:
        edited = edit_rounds(text, [change], _validated(text), NAME)
    except UsageError:  # a new round without its deadline, or another meeting: refused before any write
        return
    if edited is None:
        return
    after = _validated(edited[0])
    found = _same_as_full(text, edited[0])
    if after.ok:  # an edit a sender makes is taken by its block, not validated whole again
        assert found is not None
    else:  # an unknown organisation or meeting: the full validation says where
        assert found is None


HOSTILE = [
    "x: 1\n",  # a new top-level key: the block would swallow it
    "- id: 2021-Q1\n  as_of: '2021-01-01'\n  deadline: '2021-02-01'\n",  # a dedented item
    "\t- id: tab\n",
    "  - &a {id: 2021-Q2, as_of: '2021-01-01', deadline: '2021-02-01'}\n",
    "  - *a\n",
    "  # a comment\n",
    "rounds: []\n",
    "organisations: []\n",
    "...\n",
    "---\n",
    '  - id: "open\n',
    "notes: |\n  rounds:\n",
    "  - {id: 2021-Q3, as_of: '2021-01-01', deadline: '2021-02-01'}\n",
    "  - id: 2021-Q4\n    as_of: '2021-01-01'\n    deadline: '2021-02-01'\n",
    "    extra: 1\n",
    "\n",
    "\r\n",
    "  # a line separator\u2028x: 1\n",
    "    note: a\x85b\n",
    "  # a comment\u2028\n",  # YAML counts the separator as a line break: the lines after it shift
    "  - id: 2020-Q3\n    as_of: '2021-01-01'\n    deadline: '2021-02-01'\n",  # the same id twice
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(middle=st.booleans(), snippet=st.sampled_from(HOSTILE), where=st.floats(0, 1), near=st.booleans())
def test_a_hostile_edit_is_never_taken_unless_the_whole_plan_agrees(
    middle: bool, snippet: str, where: float, near: bool
) -> None:
    """The snippet goes in at a line start: inside or next to the rounds block (near), or anywhere."""
    text = _base(middle)
    region = find_region(text, NAME)
    assert region is not None
    low, high = (region.start, min(region.end + 200, len(text))) if near else (0, len(text))
    starts = [m.start() for m in re.finditer("^", text[low:high], flags=re.M)]
    at = low + starts[int(where * (len(starts) - 1))]
    _same_as_full(text, text[:at] + snippet + text[at:])


ENDINGS = ["", "# a closing comment\n", "\n\n", "...\n", "...\n# after the end\n", "  \n"]
NEW_ROUND = RoundChange("2021-Q1", as_of="2021-01-15", deadline="2021-02-01", messages=(_message("nps", 1),))


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_first_round_added_at_the_end_is_validated_as_the_whole_plan_would_be(ending: str) -> None:
    text = SHIPPED_PLAN.read_text(encoding="utf-8") + ending
    if not _validated(text).ok:
        return
    edited = edit_rounds(text, [NEW_ROUND], _validated(text), NAME)
    assert edited is not None
    found = _same_as_full(text, edited[0])
    assert (found is not None) == _validated(edited[0]).ok or ending.startswith("...")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ending=st.sampled_from(ENDINGS), snippet=st.sampled_from(HOSTILE), before_block=st.booleans())
def test_a_hostile_first_round_is_never_taken_unless_the_whole_plan_agrees(
    ending: str, snippet: str, before_block: bool
) -> None:
    """The snippet goes at the end of the plan before the new block, or into the new block."""
    text = SHIPPED_PLAN.read_text(encoding="utf-8") + ending
    edited = edit_rounds(SHIPPED_PLAN.read_text(encoding="utf-8"), [NEW_ROUND], _validated(text), NAME)
    assert edited is not None
    block = edited[0][edited[0].index("\nrounds:\n") + 1 :]
    if before_block:
        _same_as_full(text, text + snippet + block)
    else:
        head, rest = block.split("\n", 1)
        _same_as_full(text, text + head + "\n" + snippet + rest)


@pytest.mark.parametrize("middle", [False, True])
def test_a_text_parsed_elsewhere_or_edited_outside_the_block_is_declined(middle: bool) -> None:
    text = _base(middle)
    change = RoundChange("2020-Q3", messages=(_message("cheb", 7),))
    edited = edit_rounds(text, [change], _validated(text), NAME)
    assert edited is not None
    full = _validated(text)
    assert revalidated(text, full, edited[0], NAME) is not None
    from_cache = Validation(full.plan, full.registers, [], full.documents)  # no top-level key lines
    assert revalidated(text, from_cache, edited[0], NAME) is None
    outside = edited[0].replace("title:", "title: ", 1)
    assert revalidated(text, full, outside, NAME) is None


def test_only_round_checks_read_the_rounds() -> None:
    """The block's validation runs only round_checks' cross-checks: no other check may read rounds."""
    loading = Path(__file__).parents[2] / "cheplan" / "loading"
    readers = sorted(
        path.name
        for path in loading.glob("*checks*.py")
        if re.search(r"\brounds\b", path.read_text(encoding="utf-8")) and path.name != "round_checks.py"
    )
    assert readers == []
