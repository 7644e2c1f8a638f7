"""Problem reporters: the exact text, GitHub annotation and JSON each format promises."""

from __future__ import annotations

import json
import re

import pytest

from cheplan.domain.problems import Problem
from cheplan.outputs.formats import ProblemFormat, renderer
from cheplan.outputs.problem_formats import github_annotation, render_github, render_json, render_text

ERROR = Problem("plan.yaml", 12, 5, "unknown-theme", "action 3: unknown theme 'gov'")
WARNING = Problem("plan.yaml", 40, 7, "duplicate-reference", "action 9 cites SELR-1 twice", "warning")

# A workflow command: ::name key=value,key=value::message, all on one line.
ANNOTATION = re.compile(r"^::(?P<command>error|warning) (?P<props>[^:]*)::(?P<message>[^\r\n]*)$")


def properties(line: str) -> dict[str, str]:
    match = ANNOTATION.match(line)
    assert match, line
    return dict(pair.split("=", 1) for pair in match["props"].split(","))


def unescape(value: str) -> str:
    # The runner's own decoding order: escapes first, %25 last.
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, plain)
    return value


def test_text_is_file_line_col_message_code() -> None:
    assert render_text([ERROR, WARNING]) == (
        "plan.yaml:12:5: action 3: unknown theme 'gov' [unknown-theme]\n"
        "plan.yaml:40:7: warning: action 9 cites SELR-1 twice [duplicate-reference]\n"
    )


def test_github_error_and_warning_commands_carry_file_line_col_title() -> None:
    error, warning = render_github([ERROR, WARNING]).splitlines()
    assert error == "::error file=plan.yaml,line=12,col=5,title=cheplan unknown-theme::action 3: unknown theme 'gov'"
    assert warning.startswith("::warning file=plan.yaml,line=40,col=7,")
    assert properties(warning)["title"] == "cheplan duplicate-reference"


def test_github_message_escapes_percent_cr_lf() -> None:
    problem = Problem("p.yaml", 1, 1, "x", "100% done\r\nsecond line\nthird")
    line = github_annotation(problem)
    assert "\n" not in line
    assert "\r" not in line
    message = line.split("::", 2)[2]
    assert message == "100%25 done%0D%0Asecond line%0Athird"
    assert unescape(message) == "100% done\r\nsecond line\nthird"


def test_github_message_keeps_colons_and_commas() -> None:
    # Only properties escape : and , (the message is everything after the second ::).
    line = github_annotation(Problem("p.yaml", 1, 1, "x", "a: b, c"))
    assert line.endswith("::a: b, c")


def test_github_properties_escape_colon_comma_percent_newlines() -> None:
    problem = Problem("dir,with:odd%name\n.yaml", 3, 4, "code:with,odd%chars", "m")
    line = github_annotation(problem)
    assert "\n" not in line
    props = properties(line)
    assert props["file"] == "dir%2Cwith%3Aodd%25name%0A.yaml"
    assert props["title"] == "cheplan code%3Awith%2Codd%25chars"
    assert unescape(props["file"]) == problem.file
    assert unescape(props["title"]) == f"cheplan {problem.code}"
    assert props["line"] == "3"
    assert props["col"] == "4"


def test_json_is_a_list_with_the_documented_keys() -> None:
    data = json.loads(render_json([ERROR, WARNING]))
    assert data == [
        {
            "file": "plan.yaml",
            "line": 12,
            "column": 5,
            "severity": "error",
            "code": "unknown-theme",
            "message": "action 3: unknown theme 'gov'",
        },
        {
            "file": "plan.yaml",
            "line": 40,
            "column": 7,
            "severity": "warning",
            "code": "duplicate-reference",
            "message": "action 9 cites SELR-1 twice",
        },
    ]


def test_json_keeps_non_ascii_text_readable() -> None:
    text = render_json([Problem("p.yaml", 1, 1, "x", "Sep 2020 → Mar 2021")])
    assert "→" in text


@pytest.mark.parametrize("name", list(ProblemFormat))
def test_no_problems(name: ProblemFormat) -> None:
    assert renderer(name)([]) == ("[]\n" if name == "json" else "")
