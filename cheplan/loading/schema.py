"""Schema validation: raw YAML data -> model objects, or problems at file:line:col.

pydantic is imported here and only here, and only when something is validated.
"""

from __future__ import annotations

import contextlib
import functools
import typing
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from cheplan.domain.model import NESTED, Plan
from cheplan.domain.problems import KeyPath, Problem
from cheplan.domain.register import Register
from cheplan.domain.source_note import SCHEMA_CONFIG
from cheplan.domain.words import closest, suggestion
from cheplan.loading.problem_cap import Tally
from cheplan.loading.safe_yaml import YamlDocument

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from pydantic_core import ErrorDetails

T = TypeVar("T")

# Past this many schema problems in one file the messages leave out "did you mean": a file
# with thousands of unknown keys is the wrong file, and each suggestion costs difflib's time.
MAX_SUGGESTIONS = 200


_ADAPTERS: dict[tuple[type, bool], Any] = {}


def _adapter(cls: type[T], *, described: bool = False) -> TypeAdapter[T]:
    """Build each validator once per process, and only what the run needs: building costs
    more than validating. Field descriptions (the attribute docstrings, which pydantic reads
    by parsing each class's source) matter only to the JSON Schema, so `described` asks for them.
    """
    adapter = _ADAPTERS.get((cls, described))
    if adapter is None:
        import os

        from pydantic import TypeAdapter

        # pydantic otherwise scans every installed distribution for plugins on its first
        # build; cheplan's checking must not depend on what else is installed anyway. Set only
        # while cheplan's validators are built: a host application's own models keep its plugins.
        before = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
        os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
        try:
            with _attribute_docstrings(described):
                adapter = _ADAPTERS[(cls, described)] = TypeAdapter(cls)
        finally:
            if before is None:
                del os.environ["PYDANTIC_DISABLE_PLUGINS"]
            else:
                os.environ["PYDANTIC_DISABLE_PLUGINS"] = before
    return adapter


@contextlib.contextmanager
def _attribute_docstrings(wanted: bool) -> Iterator[None]:
    # Every schema class shares the one SCHEMA_CONFIG mapping, so one switch covers them all.
    before = SCHEMA_CONFIG.get("use_attribute_docstrings", False)
    SCHEMA_CONFIG["use_attribute_docstrings"] = wanted
    try:
        yield
    finally:
        SCHEMA_CONFIG["use_attribute_docstrings"] = before


# A file up to this many characters (at most about a third as many values) is validated in one
# pydantic call; a larger one in bounded pieces (schema_bounded), as is one whose single call
# still finds more errors than DIRECT_ERRORS: listing them all would cost more than validating again.
DIRECT_CHARS = 150_000
DIRECT_ERRORS = 5_000


def validate_document(doc: YamlDocument, cls: type[T]) -> tuple[T | None, list[Problem]]:
    """Validate a parsed document against a model class; report every schema problem."""
    from pydantic import ValidationError

    from cheplan.loading.schema_bounded import ErrorSink, validate_bounded

    tally = Tally()
    # Past the cap only the first problem left out is made (for its position); the rest are counted.
    sink = ErrorSink(tally.limit + 1)
    whole = len(doc.text) <= DIRECT_CHARS
    if whole:
        try:
            return _adapter(cls).validate_python(doc.data), []
        except ValidationError as exc:
            whole = exc.error_count() <= DIRECT_ERRORS
            if whole:
                for error in exc.errors(include_url=False):
                    sink.note(dict(error))
    if not whole:
        result = validate_bounded(doc.data, cls, sink, _adapter)
        if not sink.failed:
            return result, []
        doc.valid_items = {path: items for path, items in sink.parts.items() if items is not None}
    doc.prefetch(_path_of(listed) for listed in sink.listed)  # one pass over a large file for them all
    for n, listed in enumerate(sink.listed):
        tally.add(_problem(doc, cls, listed, suggest=n < MAX_SUGGESTIONS))  # type: ignore[arg-type]
    tally.left_out_many(sink.omitted, is_error=True)
    tally.at_least = sink.skipped
    return None, tally.problems()


def _path_of(error: Any) -> KeyPath:
    """The path `_problem` places the error's problem at."""
    loc: KeyPath = tuple(error["loc"])
    return loc[:-1] if error["type"] in ("missing", "missing_keyword_argument") else loc


def build_trusted(cls: type[T], raw: Any) -> T:
    """Rebuild model objects from data already validated with this exact schema.

    Used when the validation cache says this content passed; it skips pydantic entirely.
    """
    values = raw
    for name, (sub, is_list) in NESTED[cls].items():
        if name in raw:
            if values is raw:
                values = dict(raw)  # copied only when a nested value is rebuilt: most actions have none
            value = raw[name]
            if not is_list:
                values[name] = None if value is None else build_trusted(sub, value)
            elif NESTED[sub]:
                values[name] = [build_trusted(sub, v) for v in value]
            else:
                values[name] = [sub(**v) for v in value]
    return cls(**values)


def json_schema(cls: type[Plan] | type[Register]) -> dict[str, Any]:
    from cheplan.loading.schema_text import for_editors

    schema = for_editors(_adapter(cls, described=True).json_schema())
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _problem(doc: YamlDocument, root: type, error: ErrorDetails, *, suggest: bool = True) -> Problem:
    loc: KeyPath = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind in ("unexpected_keyword_argument", "extra_forbidden"):
        key = str(loc[-1]) if loc else "?"
        hint = _suggest(key, _field_names(root, loc[:-1])) if suggest else ""
        return doc.problem_at(loc, "unknown-field", f"unknown field {key!r}{hint}", at_key=True)
    if kind in ("missing", "missing_keyword_argument"):
        return doc.problem_at(loc[:-1], "missing-field", f"missing required field {str(loc[-1])!r}")
    where = _describe_loc(loc)
    if kind == "cheplan_format":
        message = error["msg"]
    elif kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        message = f"{value!r} is not allowed here; expected {expected}"
        if isinstance(value, str) and suggest:
            options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
            message += _did_you_mean(value, tuple(options))  # the options are listed already
    elif kind == "string_type":
        message = f"expected text, got {_describe(value)}"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            message += "; YAML reads an unquoted number as a number (1.10 becomes 1.1), so put it in quotes"
        elif isinstance(value, bool):
            message += "; YAML reads yes/no/on/off/true/false as true or false, so put it in quotes"
    elif kind in ("int_type", "int_parsing"):
        message = f"expected a whole number, got {_describe(value)}"
    elif kind in ("dataclass_type", "dict_type", "dataclass_exact_type", "model_type"):
        message = f"expected a mapping of fields (key: value), got {_describe(value)}"
    elif kind == "list_type":
        message = f"expected a list, got {_describe(value)}"
    elif kind in ("too_short", "string_too_short"):
        message = "must not be empty"
    elif kind == "greater_than_equal":
        message = f"must be at least {error.get('ctx', {}).get('ge')}, got {value!r}"
    else:
        message = error["msg"]
    code = "schema-format" if kind == "cheplan_format" else "schema"
    return doc.problem_at(loc, code, f"{where}: {message}" if where else message)


def _describe_loc(loc: KeyPath) -> str:
    return ".".join(f"[{part}]" if isinstance(part, int) else str(part) for part in loc).replace(".[", "[")


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _suggest(word: str, options: list[str]) -> str:
    return _suggestion(word, tuple(options))


# A plan with the same mistake in every action reports it thousands of times: each answer
# below is worked out once (get_type_hints and difflib cost a fraction of a millisecond each).
@functools.lru_cache(maxsize=1024)
def _suggestion(word: str, options: tuple[str, ...]) -> str:
    return suggestion(word, options)


@functools.lru_cache(maxsize=1024)
def _did_you_mean(word: str, options: tuple[str, ...]) -> str:
    match = closest(word, options)
    return f" (did you mean {match!r}?)" if match is not None else ""


def _field_names(root: type, loc: KeyPath) -> list[str]:
    """The field names allowed at a location, by following types down from the root."""
    return list(_fields_along(root, tuple(part for part in loc if not isinstance(part, int))))


@functools.lru_cache(maxsize=256)
def _fields_along(root: type, names: tuple[str | int, ...]) -> tuple[str, ...]:
    current: Any = root
    for part in names:
        if not is_dataclass(current):
            return ()
        hints = typing.get_type_hints(current)
        current = _unwrap(hints.get(str(part)))
    current = _unwrap(current)
    return tuple(f.name for f in fields(current)) if is_dataclass(current) else ()


def _unwrap(tp: Any) -> Any:
    """list[X] -> X, X | None -> X, Annotated[X, ...] -> X."""
    while True:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is list and args:
            tp = args[0]
        elif origin is typing.Annotated or (args and type(None) in args):
            tp = next(a for a in args if a is not type(None))
        else:
            return tp


def validate_items(
    data: Any, path: KeyPath, cls: type[T], known: dict[KeyPath, Any] | None = None
) -> tuple[list[tuple[int, T]], bool, bool]:
    """Validate each item of the list at `path` on its own (problems were already reported).

    Returns the items that pass, with their index in the file; whether all passed; and whether
    every item was looked at (in a hopeless list, checking stops early: see STOP_COUNTING).
    """
    from cheplan.loading.schema_bounded import passing_items

    raw = _at(data, path)
    if not isinstance(raw, list):
        return [], False, True
    # Known from validating the document in pieces, or found in bounded slices: a hostile list
    # must not make millions of errors at once.
    if known and path in known:
        return known[path], len(known[path]) == len(raw), True
    passed, looked_at_all = passing_items(raw, cls, _adapter)
    return passed, len(passed) == len(raw), looked_at_all


def validate_part(data: Any, path: KeyPath, cls: type[T]) -> T | None:
    from cheplan.loading.schema_bounded import ErrorSink, validate_bounded

    part: T | None = validate_bounded(_at(data, path), cls, ErrorSink(0), _adapter)
    return part


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        if isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        elif isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
        else:
            return None
    return data
