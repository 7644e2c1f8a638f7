"""Problems rendered for `cheplan validate`: text, github, json (chosen in `cheplan.outputs.formats`)."""

from __future__ import annotations

import json

from cheplan.domain.problems import Problem


def render_text(problems: list[Problem]) -> str:
    return "".join(p.as_text() + "\n" for p in problems)


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


def render_github(problems: list[Problem]) -> str:
    return "".join(github_annotation(p) + "\n" for p in problems)


def render_json(problems: list[Problem]) -> str:
    return json.dumps([p.to_json() for p in problems], indent=2, ensure_ascii=False) + "\n"
