"""Problem reporters for `cheplan validate`: text, github, json (chosen in `cheplan.outputs.formats`)."""

from __future__ import annotations

import json

from cheplan.domain.problems import Problem
from cheplan.outputs.safe_text import safe_file_name, visible


def problem_text(problem: Problem) -> str:
    """`FILE:LINE:COL: message [code]` on exactly one line, whatever the file name or the plan text in the message."""
    label = "" if problem.is_error else "warning: "
    where = f"{safe_file_name(problem.file)}:{problem.line}:{problem.column}"
    return f"{where}: {label}{visible(problem.message)} [{visible(problem.code)}]"


def report_text(problems: list[Problem]) -> str:
    return "".join(problem_text(p) + "\n" for p in problems)


def _escape_data(value: str) -> str:
    # GitHub workflow commands: https://github.com/actions/toolkit (command.ts escapeData)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    command = "error" if problem.is_error else "warning"
    properties = ",".join(
        f"{name}={_escape_property(str(value))}"
        for name, value in (
            ("file", problem.file),
            ("line", problem.line),
            ("col", problem.column),
            ("title", f"cheplan {problem.code}"),
        )
    )
    return f"::{command} {properties}::{_escape_data(problem.message)}"


def report_github(problems: list[Problem]) -> str:
    return "".join(github_annotation(p) + "\n" for p in problems)


def report_json(problems: list[Problem]) -> str:
    return json.dumps([p.to_json() for p in problems], indent=2, ensure_ascii=False) + "\n"
