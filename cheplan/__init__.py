"""cheplan: keep a partnership's multi-agency action plan honest.

The library API, the same functions the command line is a thin layer over::

    from cheplan import load_plan, validate, overdue, due, trace, record_progress, ProgressEntry

* ``load_plan(plan_path, register_paths)``: a validated plan (``LoadedPlan``), or
  ``InvalidPlanError`` carrying every problem;
* ``validate(plan_path, register_paths, today=None)``: every problem, as ``Validation``;
* ``overdue(plan, as_of, lead=None, theme=None)`` and ``due(plan, as_of, until, ...)``: the
  unfinished actions past their end, or falling due by ``until``;
* ``trace(plan, registers, as_of, source=None)``: recommendation coverage;
* ``record_progress(plan_path, [(action_id, ProgressEntry(...))], registers=None, today=...)``:
  append dated progress to the plan file, in place, atomically and only if it stays valid.

Errors: ``CheplanError`` and its kinds ``UnreadableInputError``, ``UsageError``,
``InvalidPlanError`` and ``WriteRefusedError``. The core never prints or exits. A library call
never reads or writes the user's cache directory unless asked (``cache=True``).

Nothing is imported until a name is used, so that ``import cheplan`` (and ``cheplan --help``)
stays fast.
"""

from __future__ import annotations

import importlib
import os

# python-docx (`cheplan init`) brings lxml, and openpyxl parses with lxml whenever it is
# installed, instead of with defusedxml. Workbooks from outside are parsed with defusedxml, the
# second line against XML entity attacks (see cheplan.loading.workbook): keep openpyxl off lxml.
os.environ["OPENPYXL_LXML"] = "False"

# Not `typing.TYPE_CHECKING`: importing typing would cost `import cheplan` a few milliseconds.
TYPE_CHECKING = False

__version__ = "0.1.0"

if TYPE_CHECKING:
    from cheplan.domain.errors import (
        CheplanError,
        InvalidPlanError,
        UnreadableInputError,
        UsageError,
        WriteRefusedError,
    )
    from cheplan.domain.model import ProgressEntry
    from cheplan.editing.record import record_progress
    from cheplan.loading.load import load_plan
    from cheplan.loading.load import validate_paths as validate
    from cheplan.questions.actions import coming_due as due
    from cheplan.questions.actions import overdue
    from cheplan.questions.trace import build_trace as trace

__all__ = [
    "CheplanError",
    "InvalidPlanError",
    "ProgressEntry",
    "UnreadableInputError",
    "UsageError",
    "WriteRefusedError",
    "__version__",
    "due",
    "load_plan",
    "overdue",
    "record_progress",
    "trace",
    "validate",
]

# Public name -> (module, name there).
_API: dict[str, tuple[str, str]] = {
    "load_plan": ("cheplan.loading.load", "load_plan"),
    "validate": ("cheplan.loading.load", "validate_paths"),
    "overdue": ("cheplan.questions.actions", "overdue"),
    "due": ("cheplan.questions.actions", "coming_due"),
    "trace": ("cheplan.questions.trace", "build_trace"),
    "record_progress": ("cheplan.editing.record", "record_progress"),
    "ProgressEntry": ("cheplan.domain.model", "ProgressEntry"),
    "CheplanError": ("cheplan.domain.errors", "CheplanError"),
    "UnreadableInputError": ("cheplan.domain.errors", "UnreadableInputError"),
    "UsageError": ("cheplan.domain.errors", "UsageError"),
    "InvalidPlanError": ("cheplan.domain.errors", "InvalidPlanError"),
    "WriteRefusedError": ("cheplan.domain.errors", "WriteRefusedError"),
}


def __getattr__(name: str) -> object:
    """Import a public name on first use (PEP 562), and keep it."""
    try:
        module, attribute = _API[name]
    except KeyError:
        raise AttributeError(f"module 'cheplan' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
