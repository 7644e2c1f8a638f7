"""The one shape every finding takes, from a YAML syntax error to a cross-check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# A location inside a document, as a path of mapping keys and list indexes,
# e.g. ("actions", 3, "end"). Pydantic's error `loc` has the same shape.
Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = "error"
    path: Path = field(default=(), compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)

    def as_text(self) -> str:
        label = "" if self.is_error else "warning: "
        return f"{self.file}:{self.line}:{self.column}: {label}{self.message} [{self.code}]"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)
