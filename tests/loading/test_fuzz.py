"""Fuzzing `cheplan validate`: whatever the file holds, the answer is an exit code and
messages at FILE:LINE:COL, never a traceback or an "internal error".

Deterministic (derandomize) and bounded, so the suite stays fast and repeatable.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cheplan.loading.locate import display_name
from tests.conftest import SHIPPED_PLAN, Result, RunCli, plan_data

FUZZ = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SHIPPED_LINES = SHIPPED_PLAN.read_text(encoding="utf-8").splitlines(keepends=True)


def validate_bytes(cli: RunCli, path: Path, content: bytes) -> Result:
    path.write_bytes(content)
    result = cli("validate", path)  # the fixture fails on any traceback
    assert "internal error" not in result.stderr, result.stderr
    event(f"exit {result.code}")
    return result


def assert_problems_are_located(result: Result, path: Path, line_count: int) -> None:
    """Every problem line reads FILE:LINE:COL: and points inside the file."""
    name = display_name(path)
    problems = result.stdout.splitlines()
    assert problems, result.stderr
    for problem in problems:
        match = re.match(rf"^{re.escape(name)}:(\d+):(\d+): ", problem)
        assert match, problem
        assert 1 <= int(match.group(1)) <= line_count + 1, problem


# --- arbitrary bytes and YAML-flavoured text --------------------------------------------

YAML_ALPHABET = list(":-[]{}&*!|>'\"#%@`?,.~ \t\r\n\\") + list("abcXYZ019") + ["\u00e9", "\u2028", "\ufeff", "\x00"]


@FUZZ
@given(content=st.binary(max_size=2_000))
def test_arbitrary_bytes(cli: RunCli, tmp_path: Path, content: bytes) -> None:
    result = validate_bytes(cli, tmp_path / "fuzz.yaml", content)
    assert result.code in (1, 2), result


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(YAML_ALPHABET), max_size=300))
def test_yaml_flavoured_text(cli: RunCli, tmp_path: Path, text: str) -> None:
    result = validate_bytes(cli, tmp_path / "fuzz.yaml", text.encode("utf-8"))
    assert result.code in (1, 2), result


# --- well-formed YAML of any shape ------------------------------------------------------

FIELD_NAMES = ["schema_version", "plan", "themes", "actions", "id", "theme", "lead", "end", "progress", "status"]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.dates().map(str)
    | st.sampled_from(["2020-13", "2020-02-30", "SELR-1", "SELR 1", "not_reported", "dropped", "Apr-20", ""])
)
KEYS = st.sampled_from(FIELD_NAMES) | st.text(max_size=10)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=30,
)


@FUZZ
@given(document=DOCUMENTS)
def test_any_yaml_document(cli: RunCli, tmp_path: Path, document: Any) -> None:
    path = tmp_path / "fuzz.yaml"
    text = yaml.safe_dump(document, allow_unicode=True)
    result = validate_bytes(cli, path, text.encode("utf-8"))
    assert result.code in (0, 1, 2), result
    if result.code == 1:
        assert_problems_are_located(result, path, text.count("\n"))


# Places in a valid plan where a random value makes the schema and the cross-checks work.
PLAN_PATHS: list[tuple[str | int, ...]] = [
    (),
    ("schema_version",),
    ("plan",),
    ("plan", "period"),
    ("plan", "period", "end"),
    ("plan", "recommendation_key"),
    ("plan", "recommendation_key", 0, "code"),
    ("themes",),
    ("themes", 0),
    ("themes", 0, "id"),
    ("actions",),
    ("actions", 0),
    ("actions", 0, "id"),
    ("actions", 0, "lead"),
    ("actions", 0, "end"),
    ("actions", 0, "recommendations"),
    ("actions", 0, "recommendations", 0),
    ("actions", 0, "status"),
    ("actions", 0, "progress"),
    ("actions", 0, "unknown_field"),
]


def _replace(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    container = data[head] if (isinstance(head, int) or head in data) else {}
    data[head] = _replace(container, tuple(rest), value) if rest else value
    return data


@FUZZ
@given(path=st.sampled_from(PLAN_PATHS), value=DOCUMENTS)
def test_a_plan_with_one_part_replaced(cli: RunCli, tmp_path: Path, path: tuple[str | int, ...], value: Any) -> None:
    document = _replace(plan_data(), path, value)
    file = tmp_path / "fuzz.yaml"
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    result = validate_bytes(cli, file, text.encode("utf-8"))
    assert result.code in (0, 1), result
    if result.code == 1:
        assert_problems_are_located(result, file, text.count("\n"))


# --- mutations of the shipped plan ------------------------------------------------------

TRICKY_VALUES = [
    "",
    "~",
    "null",
    "yes",
    "1.10",
    "0x1F",
    "010",
    "2020-13",
    "2020-02-30",
    "[",
    "{a: b}",
    "[1, [2, [3]]]",
    "&anchor x",
    "*nowhere",
    "!!python/name:os.system",
    "!custom x",
    "'unterminated",
    '"bad \\q"',
    "- a",
    "a: b: c",
    "|",
    ">-",
    "@x",
    "`x`",
    "%x",
    "? x",
    "<<: *a",
    "\t",
    "#",
]
SCALAR_LINE = re.compile(r"^(\s*(?:- )?[\w]+: )(.+)$")
SCALAR_LINES = [index for index, line in enumerate(SHIPPED_LINES) if SCALAR_LINE.match(line.rstrip("\n"))]


def _check_mutation(cli: RunCli, tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "mutated.yaml"
    text = "".join(lines)
    result = validate_bytes(cli, path, text.encode("utf-8"))
    assert result.code in (0, 1), result
    if result.code == 1:
        assert_problems_are_located(result, path, text.count("\n"))


@settings(FUZZ, max_examples=100)
@given(index=st.integers(min_value=0, max_value=len(SHIPPED_LINES) - 1))
def test_shipped_plan_with_a_line_deleted(cli: RunCli, tmp_path: Path, index: int) -> None:
    lines = list(SHIPPED_LINES)
    del lines[index]
    _check_mutation(cli, tmp_path, lines)


@settings(FUZZ, max_examples=100)
@given(
    first=st.integers(min_value=0, max_value=len(SHIPPED_LINES) - 1),
    second=st.integers(min_value=0, max_value=len(SHIPPED_LINES) - 1),
)
def test_shipped_plan_with_two_lines_swapped(cli: RunCli, tmp_path: Path, first: int, second: int) -> None:
    lines = list(SHIPPED_LINES)
    lines[first], lines[second] = lines[second], lines[first]
    _check_mutation(cli, tmp_path, lines)


@settings(FUZZ, max_examples=100)
@given(
    index=st.sampled_from(SCALAR_LINES),
    value=st.sampled_from(TRICKY_VALUES) | st.text(max_size=15).filter(lambda t: "\n" not in t and "\r" not in t),
)
def test_shipped_plan_with_a_value_replaced(cli: RunCli, tmp_path: Path, index: int, value: str) -> None:
    lines = list(SHIPPED_LINES)
    match = SCALAR_LINE.match(lines[index].rstrip("\n"))
    assert match
    lines[index] = f"{match.group(1)}{value}\n"
    _check_mutation(cli, tmp_path, lines)
