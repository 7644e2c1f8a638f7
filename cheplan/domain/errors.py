"""Exceptions the core raises; only the CLI turns them into exit codes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cheplan.domain.problems import Problem


class CheplanError(Exception):
    """Base class for every error cheplan reports to a person."""


class UnreadableInputError(CheplanError):
    """A file could not be read as UTF-8 text at all (missing, a directory, binary, UTF-16...)."""


class UsageError(CheplanError):
    """The caller asked for something that cannot be done (bad option value, unknown id)."""


class InvalidPlanError(CheplanError):
    """The input was read but has problems; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        from cheplan.domain.problems import ProblemCount

        self.problems = problems
        super().__init__(f"{ProblemCount.of(problems).words(warnings_apart=False)} found")


class WriteRefusedError(CheplanError):
    """An edit was refused because its result would not validate; nothing was written."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(message)
