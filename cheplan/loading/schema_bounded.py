"""Schema validation of a large file in bounded pieces, so that a hostile file cannot make pydantic
build millions of errors.

pydantic reports every error of a call at once: `actions: [{}, {}, ...]` makes about eight
per three bytes (each a missing field), 250 bytes each inside pydantic and 650 more once
listed, so two million values could take gigabytes before the first problem is shown. Here a
value is handed to pydantic whole only when it holds at most CHUNK values; a larger one is
taken apart along the schema: a mapping's unknown keys are reported here, its large fields are
validated on their own (recursively) and the rest in one call with them already built; a large
list is validated in slices. Errors are listed (pydantic's dicts, with their full `loc`) only up
to a limit; past it each call's errors are only counted. A file that passes gets the same
objects as a single call makes: parts already built are accepted as they are.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import is_dataclass
from typing import Any

from cheplan.domain.problems import KeyPath

# Values (mappings, lists, scalars) handed to pydantic in one call at most.
CHUNK = 5_000
# Errors counted past the listed ones before checking stops (the rest of the file is then not
# validated, and the count is reported as "at least"): `actions: [{}, {}, ...]` at the value
# budget has some 17 million, and counting them would take pydantic about eight seconds.
STOP_COUNTING = 200_000
_FAILED = object()


class ErrorSink:
    """pydantic's errors, listed up to `limit` with their full location, then only counted."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.listed: list[dict[str, Any]] = []
        self.omitted = 0
        # For each large list validated in slices, its items that passed (index, object); None
        # when that is not known (errors only counted). Cross-checks of an invalid plan use them.
        self.parts: dict[KeyPath, list[tuple[int, Any]] | None] = {}
        self.skipped = False  # a part was not validated: there are at least `omitted` more

    def add(
        self, exc: Any, where: Callable[[KeyPath], KeyPath], skip: Callable[[KeyPath], bool] | None = None
    ) -> list[KeyPath] | None:
        """A ValidationError from one bounded call; `where` turns its locations into the file's.
        Returns those locations, or None when the errors were only counted."""
        if skip is None and len(self.listed) >= self.limit:
            self.omitted += exc.error_count()  # counted without making the list
            return None
        found = []
        for error in exc.errors(include_url=False):
            loc = where(tuple(error["loc"]))
            found.append(loc)
            if skip is not None and skip(loc):
                continue
            self.note({**error, "loc": loc})
        return found

    def note(self, error: dict[str, Any]) -> None:
        if len(self.listed) < self.limit:
            self.listed.append(error)
        else:
            self.omitted += 1

    @property
    def failed(self) -> bool:
        return bool(self.listed or self.omitted)

    def stop(self) -> bool:
        """Whether enough is counted that the next part is not validated (see STOP_COUNTING);
        if so, `skipped` records that the count is only a lower bound."""
        if self.omitted < STOP_COUNTING:
            return False
        self.skipped = True
        return True


def weight(value: Any, depth: int = 3) -> int:
    """How many values pydantic would meet in `value`, looking `depth` levels down (three: the
    schema's depth below any list item); the count stops as soon as it is over CHUNK."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return 1
    total = 1 + len(value)
    if depth and total <= CHUNK:
        for child in value.values() if kind is dict else value:
            if type(child) is dict or type(child) is list:
                total += weight(child, depth - 1) - 1  # the child itself is already counted
                if total > CHUNK:
                    break
    return total


def is_large(value: Any) -> bool:
    return weight(value) > CHUNK


def validate_bounded(value: Any, tp: Any, sink: ErrorSink, adapter: Callable[[Any], Any]) -> Any:
    """`value` validated against `tp`, or None with its errors in `sink` (`adapter(tp)` gives
    the cached TypeAdapter of a type)."""
    result = _validate(value, tp, (), sink, adapter)
    return None if result is _FAILED else result


def _validate(value: Any, tp: Any, loc: KeyPath, sink: ErrorSink, adapter: Callable[[Any], Any]) -> Any:
    if sink.stop():
        return _FAILED
    kind, inner = _shape(tp)
    if is_large(value):
        if kind == "list" and isinstance(value, list):
            return _list(value, inner, loc, sink, adapter)
        if kind == "class" and isinstance(value, dict):
            return _mapping(value, tp, inner, loc, sink, adapter)
    # Small, or of the wrong kind altogether (one error, however large it is).
    from pydantic import ValidationError

    try:
        return adapter(tp).validate_python(value)
    except ValidationError as exc:
        sink.add(exc, lambda at: (*loc, *at))
        return _FAILED


def _slices(items: list[Any]) -> Iterator[tuple[int, list[Any], bool]]:
    """(start, items, large): consecutive items weighing at most CHUNK together, or one large item."""
    start, gathered = 0, 0
    batch: list[Any] = []
    for index, item in enumerate(items):
        size = weight(item) if isinstance(item, (dict, list)) else 1
        if batch and gathered + size > CHUNK:
            yield start, batch, False
            batch, gathered = [], 0
        if size > CHUNK:
            yield index, [item], True
            continue
        if not batch:
            start = index
        batch.append(item)
        gathered += size
    if batch:
        yield start, batch, False


def _list(items: list[Any], item_tp: Any, loc: KeyPath, sink: ErrorSink, adapter: Callable[[Any], Any]) -> Any:
    from pydantic import ValidationError

    done: list[Any] = []
    passed: list[tuple[int, Any]] | None = []
    sink.parts[loc] = None
    for start, batch, large in _slices(items):
        if sink.stop():
            return _FAILED
        if large:
            result = _validate(batch[0], item_tp, (*loc, start), sink, adapter)
            done.append(result)
            if passed is not None and result is not _FAILED:
                passed.append((start, result))
            continue
        try:
            built = adapter(list[item_tp]).validate_python(batch)
        except ValidationError as exc:
            done.append(_FAILED)
            failing = sink.add(exc, functools.partial(_shifted, loc, start))
            if passed is not None and failing is not None:
                passed += _good_ones(batch, start, {at[len(loc)] for at in failing}, item_tp, adapter)
            else:
                passed = None  # not known which: the cross-checks validate them again
            continue
        done += built
        if passed is not None:
            passed += enumerate(built, start)
    sink.parts[loc] = passed
    return _FAILED if any(item is _FAILED for item in done) else done


def _good_ones(
    batch: list[Any], start: int, bad: set[Any], item_tp: Any, adapter: Callable[[Any], Any]
) -> list[tuple[int, Any]]:
    """The items of a failed slice that no error names, built (with their index in the list)."""
    good = [index for index in range(len(batch)) if start + index not in bad]
    if not good:
        return []
    built = adapter(list[item_tp]).validate_python([batch[index] for index in good])
    return list(zip((start + index for index in good), built, strict=True))


def passing_items(items: list[Any], item_tp: Any, adapter: Callable[[Any], Any]) -> tuple[list[tuple[int, Any]], bool]:
    """The items that pass on their own, with their index: a slice at a time, and within a slice
    that fails, the items its errors do not name. And whether every item was looked at."""
    from pydantic import ValidationError

    passed: list[tuple[int, Any]] = []
    seen = 0  # errors listed to find the failing items; past STOP_COUNTING failing slices are dropped
    for start, batch, large in _slices(items):
        if large:
            found = validate_bounded(batch[0], item_tp, ErrorSink(0), adapter)
            if found is not None:
                passed.append((start, found))
            continue
        try:
            passed += enumerate(adapter(list[item_tp]).validate_python(batch), start)
        except ValidationError as exc:
            seen += exc.error_count()
            if seen > STOP_COUNTING:
                return passed, False  # a hopeless list: what passed so far is cross-checked, the rest is not
            bad = {start + int(error["loc"][0]) for error in exc.errors(include_url=False, include_input=False)}
            passed += _good_ones(batch, start, bad, item_tp, adapter)
    return passed, True


def _mapping(
    value: dict[str, Any], tp: Any, cls: type, loc: KeyPath, sink: ErrorSink, adapter: Callable[[Any], Any]
) -> Any:
    from pydantic import ValidationError

    fields = _field_types(cls)
    known: dict[str, Any] = {}
    for key, item in value.items():
        if key in fields:
            known[key] = item
        else:  # what pydantic says of an unknown key, without it making one error per key
            sink.note(
                {"type": "extra_forbidden", "loc": (*loc, key), "input": item, "msg": "Extra inputs are not permitted"}
            )
    failed = set()
    for name, item in list(known.items()):
        if is_large(item):
            known[name] = _validate(item, fields[name], (*loc, name), sink, adapter)
            if known[name] is _FAILED:
                failed.add(name)
                known[name] = None  # its errors are reported: the placeholder's are not
    try:
        result = adapter(tp).validate_python(known)
    except ValidationError as exc:
        depth = len(loc)
        sink.add(exc, lambda at: (*loc, *at), lambda at: len(at) > depth and at[depth] in failed)
        return _FAILED
    return _FAILED if failed or len(known) < len(value) else result


def _shape(tp: Any) -> tuple[str, Any]:
    """("list", item type), ("class", dataclass) or ("other", tp), through Annotated and `| None`."""
    while True:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Annotated:
            tp = args[0]
        elif origin in (typing.Union, types.UnionType) and len([a for a in args if a is not type(None)]) == 1:
            tp = next(a for a in args if a is not type(None))
        elif origin is list and args:
            return "list", args[0]
        elif is_dataclass(tp):
            return "class", tp
        else:
            return "other", tp


@functools.lru_cache(maxsize=64)
def _field_types(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls, include_extras=True)
    return {name: hint for name, hint in hints.items() if not name.startswith("__")}


def _shifted(loc: KeyPath, start: int, at: KeyPath) -> KeyPath:
    """A location in a slice of the list at `loc` that starts at index `start`, as the file's."""
    return (*loc, start + int(at[0]), *at[1:])
