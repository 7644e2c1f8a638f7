"""The one shape every finding takes, from a YAML syntax error to a cross-check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cheplan.domain.safe_text import safe_file_name, visible
from cheplan.domain.words import plural

Severity = Literal["error", "warning"]

# A location inside a document, as a path of mapping keys and list indexes,
# e.g. ("actions", 3, "end"). Pydantic's error `loc` has the same shape.
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = "error"
    path: KeyPath = field(default=(), compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)

    def as_text(self) -> str:
        """`FILE:LINE:COL: message [code]` on exactly one line, whatever the file name or the plan
        text in the message: shown, never obeyed by a terminal or a CI runner."""
        label = "" if self.is_error else "warning: "
        where = f"{safe_file_name(self.file)}:{self.line}:{self.column}"
        return f"{where}: {label}{visible(self.message)} [{visible(self.code)}]"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class MoreProblems(Problem):
    """The line that stands for the problems left out of a file's list (loading.problem_cap)."""

    omitted: int = 0
    omitted_errors: int = 0  # of `omitted`, how many are errors (the rest are warnings): for the counts
    # True when checking stopped before the end of the file: there are at least that many more.
    at_least: bool = False


@dataclass(frozen=True, slots=True)
class ProblemCount:
    """How many problems a list stands for: a `MoreProblems` line counts as those it leaves out."""

    errors: int
    warnings: int
    at_least: bool  # checking stopped early somewhere: there may be more

    @classmethod
    def of(cls, problems: list[Problem]) -> ProblemCount:
        errors = warnings = 0
        at_least = False
        for problem in problems:
            if isinstance(problem, MoreProblems):
                errors += problem.omitted_errors
                warnings += problem.omitted - problem.omitted_errors
                at_least |= problem.at_least
            elif problem.is_error:
                errors += 1
            else:
                warnings += 1
        return cls(errors, warnings, at_least)

    def words(self, *, warnings_apart: bool = True) -> str:
        """ "3 problems", "2 errors, 1 warning", "at least 210,000 problems"."""
        prefix = "at least " if self.at_least else ""
        if warnings_apart and self.warnings:
            return f"{prefix}{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')}"
        return f"{prefix}{plural(self.errors, 'problem')}"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)
