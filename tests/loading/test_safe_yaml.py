"""The safe, position-aware YAML loader: every bad-input class ends in a clear problem."""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from cheplan.domain.errors import UnreadableInputError
from cheplan.loading.safe_yaml import (
    USING_C_LOADER,
    YamlDocument,
    decode_utf8,
    parse_yaml,
    position_index,
    read_text,
)


def codes(text: str) -> list[str]:
    return [p.code for p in parse_yaml(text, "f.yaml").problems]


def test_the_c_loader_is_used_when_available() -> None:
    import yaml

    assert hasattr(yaml, "CSafeLoader") == USING_C_LOADER


def test_plain_data_is_built() -> None:
    doc = parse_yaml("a: 1\nb: [x, {c: d}]\nn: null\nf: 1.5\nt: true\n", "f.yaml")
    assert doc.data == {"a": 1, "b": ["x", {"c": "d"}], "n": None, "f": 1.5, "t": True}
    assert doc.problems == []


def test_timestamps_stay_text_so_the_schema_judges_them() -> None:
    doc = parse_yaml("d: 2020-02-30\nm: 2020-04\n", "f.yaml")
    assert doc.data == {"d": "2020-02-30", "m": "2020-04"}


def test_unquoted_decimal_is_a_number_quoted_is_text() -> None:
    # The schema then refuses the number with a hint; the loader must not guess.
    assert parse_yaml("a: 1.10\nb: '1.10'\n", "f").data == {"a": 1.1, "b": "1.10"}


def test_duplicate_key_names_both_lines() -> None:
    doc = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    [problem] = doc.problems
    assert (problem.line, problem.column, problem.code) == (3, 1, "duplicate-key")
    assert "first defined at line 1" in problem.message
    assert doc.data == {"a": 1, "b": 2}  # the first value is kept, nothing is silently replaced


def test_duplicate_keys_in_nested_mappings_are_all_reported() -> None:
    doc = parse_yaml("x:\n  a: 1\n  a: 2\ny:\n  - b: 1\n    b: 2\n", "f.yaml")
    assert [(p.line, p.code) for p in doc.problems] == [(3, "duplicate-key"), (6, "duplicate-key")]


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/object/apply:os.system [echo hacked]\n",
        "x: !!python/name:os.system\n",
        "x: !custom 1\n",
        "x: !!binary aGVsbG8=\n",
        "x: !!set {a, b}\n",
    ],
)
def test_unsafe_and_unknown_tags_are_refused(text: str) -> None:
    doc = parse_yaml(text, "f.yaml")
    assert doc.data is None
    [problem] = doc.problems
    assert problem.code == "yaml-tag"
    assert problem.line == 1


def test_python_tags_are_called_unsafe() -> None:
    [problem] = parse_yaml("x: !!python/object:os.system {}\n", "f").problems
    assert "unsafe tag" in problem.message


def test_standard_explicit_tags_are_accepted() -> None:
    assert parse_yaml("a: !!str 1.10\nb: !!int '3'\n", "f").data == {"a": "1.10", "b": 3}


def python_calls_and_peak_bytes(work: Callable[[], object]) -> tuple[int, int]:
    """How many Python functions `work` calls, and the peak of memory it allocates: the steps
    and space it takes, counted rather than timed."""
    calls = 0

    def count(_frame: object, event: str, _arg: object) -> None:
        nonlocal calls
        calls += event == "call"

    tracemalloc.start()
    sys.setprofile(count)
    try:
        work()
    finally:
        sys.setprofile(None)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return calls, peak


def test_billion_laughs_fails_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"  # 377 bytes that expand to 9**10 values
    parse_yaml("warm: up\n", "f.yaml")  # the loader's one-off set-up is not the bomb's cost
    outcome: list[YamlDocument] = []
    calls, peak = python_calls_and_peak_bytes(lambda: outcome.append(parse_yaml(text, "bomb.yaml")))
    [doc] = outcome
    assert [p.code for p in doc.problems] == ["yaml-alias"]
    assert "alias bomb" in doc.problems[0].message
    # Work and memory in proportion to the file's 126 events, not to the values the aliases
    # would expand to (about 210 calls and 8 KB are measured).
    assert calls < 1_000
    assert peak < 1 << 20


def test_modest_alias_use_is_allowed() -> None:
    doc = parse_yaml("lead: &mps [MPS Southwark]\nother: *mps\n", "f")
    assert doc.data == {"lead": ["MPS Southwark"], "other": ["MPS Southwark"]}


def test_recursive_alias_is_refused() -> None:
    doc = parse_yaml("a: &a [1, *a]\n", "f.yaml")
    assert codes("a: &a [1, *a]\n") == ["yaml-alias"]
    assert "contains it" in doc.problems[0].message


def test_undefined_alias_is_an_alias_problem() -> None:
    [problem] = parse_yaml("a: *nowhere\n", "f").problems
    assert problem.code == "yaml-alias"
    assert problem.line == 1


@pytest.mark.parametrize("depth", [65, 10_000, 200_000])
def test_deep_nesting_is_bounded_without_crashing(depth: int) -> None:
    # PyYAML's C composer recurses and crashes the interpreter on ~100k levels; we never compose.
    doc = parse_yaml("[" * depth + "]" * depth, "deep.yaml")
    [problem] = doc.problems
    # Either PyYAML's scanner (6.0.4+) or cheplan's own budget refuses; both read the same.
    assert problem.code == "yaml-depth"
    assert problem.message == "nesting deeper than 64 levels; a plan is never this deep"
    assert problem.line == 1


def test_nesting_within_the_limit_is_fine() -> None:
    assert parse_yaml("[" * 60 + "]" * 60, "f").problems == []


def test_one_document_per_file() -> None:
    [problem] = parse_yaml("a: 1\n---\nb: 2\n", "f.yaml").problems
    assert (problem.line, problem.code) == (2, "yaml-documents")


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_documents_are_reported(text: str) -> None:
    assert codes(text) == ["yaml-empty"]


def test_syntax_error_has_a_position() -> None:
    [problem] = parse_yaml("a: [1, 2\nb: 3\n", "f.yaml").problems
    assert problem.code == "yaml-syntax"
    assert problem.line >= 2
    assert problem.message.startswith("malformed YAML")


def test_tab_indentation_is_a_syntax_problem_at_its_line() -> None:
    [problem] = parse_yaml("a:\n\tb: 1\n", "f.yaml").problems
    assert problem.code == "yaml-syntax"
    assert problem.line == 2


def test_control_characters_are_reported_with_position() -> None:
    [problem] = parse_yaml("a: ok\nb: bad\x07\n", "f.yaml").problems
    assert (problem.line, problem.code) == (2, "yaml-syntax")
    assert "U+0007" in problem.message


def test_merge_keys_are_refused() -> None:
    assert codes("base: &b {x: 1}\nother:\n  <<: *b\n") == ["yaml-merge"]


def test_non_text_keys_are_reported() -> None:
    doc = parse_yaml("1: one\ntrue: yes\n", "f")
    assert [p.code for p in doc.problems] == ["yaml-key-type", "yaml-key-type"]


def test_complex_keys_are_refused() -> None:
    assert codes("? [a, b]\n: c\n") == ["yaml-complex-key"]


def test_invalid_scalar_values_are_problems_not_crashes() -> None:
    assert codes("a: !!int 'not a number'\n") == ["yaml-scalar"]


def test_positions_of_values_and_keys() -> None:
    index = position_index("a:\n  b: [1, {c: d}]\n  e: x\n")
    assert index.values[("a", "e")] == (3, 6)
    assert index.keys[("a", "e")] == (3, 3)
    assert index.values[("a", "b", 1, "c")] == (2, 14)
    assert index.locate(("a", "missing", 3)) == index.values[("a",)]
    assert index.locate(("a", "b"), at_key=True) == (2, 3)


def test_positions_count_lines_across_crlf() -> None:
    index = position_index("a: 1\r\nb:\r\n  c: 2\r\n")
    assert index.values[("b", "c")] == (3, 6)


# --- reading bytes -------------------------------------------------------------------------


def test_utf8_bom_is_accepted() -> None:
    assert decode_utf8(b"\xef\xbb\xbfa: 1\n", "f") == "a: 1\n"


@pytest.mark.parametrize(
    "raw",
    ["a: 1\n".encode("utf-16"), "a: 1\n".encode("utf-16-be"), "a: 1\n".encode("utf-16-le"), "a: 1\n".encode("utf-32")],
)
def test_utf16_and_utf32_are_refused_with_a_hint(raw: bytes) -> None:
    with pytest.raises(UnreadableInputError, match="UTF-8"):
        decode_utf8(raw, "f.yaml")


def test_invalid_utf8_names_line_and_byte() -> None:
    with pytest.raises(UnreadableInputError, match=r"f\.yaml:2:7: not valid UTF-8 \(byte 0xe9\)"):
        decode_utf8("a: 1\nb: caf\xe9\n".encode("latin-1"), "f.yaml")


def test_nul_bytes_are_refused() -> None:
    with pytest.raises(UnreadableInputError, match="NUL byte"):
        decode_utf8(b"a: 1\n\x00\x01binary", "f.yaml")


def test_missing_file_and_directory_are_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError, match="no such file"):
        read_text(tmp_path / "nope.yaml", "nope.yaml")
    with pytest.raises(UnreadableInputError, match="is a directory"):
        read_text(tmp_path, "dir")


def test_oversized_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cheplan.domain import caps

    monkeypatch.setattr(caps, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.yaml"
    path.write_text("a: 12345678901234567890\n")
    with pytest.raises(UnreadableInputError, match="bytes"):
        read_text(path, "big.yaml")


@pytest.mark.parametrize("number", ["010", "0x1F", "0b101", "1_000", "1:30"])
def test_numbers_yaml_readers_disagree_on_are_refused(number: str) -> None:
    [problem] = parse_yaml(f"id: {number}\n", "f.yaml").problems
    assert (problem.code, problem.line) == ("yaml-number", 1)


@pytest.mark.parametrize(("text", "value"), [("id: 10", 10), ("id: -5", -5), ("id: 0", 0), ("id: '010'", "010")])
def test_plain_decimals_and_quoted_text_are_fine(text: str, value: object) -> None:
    assert parse_yaml(text, "f").data == {"id": value}
