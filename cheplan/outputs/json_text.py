"""JSON text exactly as `json.dumps(data, indent=2, ensure_ascii=False)` writes it, only faster.

With an indent, the standard library encodes in pure Python, a generator per container:
about 4 s for the 100,000 rows of a large `overdue --format json`. The indented layout is
part of the output contract (the docs show it), so it stays. Here strings and integers go
through C (`encode_basestring`, `int.__repr__`) and a list of rows with the same keys (every
listing's shape) is encoded a column at a time, so most values never enter a Python frame.
Anything out of the ordinary (a non-text key, NaN, a type JSON has no form for) falls
back to the standard library, which then also raises its own errors.

A listing's rows are also written a slice at a time (`json_pieces`), so the whole text
(64 MB for 100,000 rows) and every row's encoding never sit in memory at once. Rows often
share equal parts (the same RAG rating object for every action due the same month): a part
that is the very same object as an earlier one in its column is encoded once.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from json.encoder import encode_basestring  # the C implementation when CPython has _json
from operator import itemgetter
from typing import Any

from cheplan.outputs.listing import Listing

# Rows encoded per slice when streaming: big enough that each slice runs at C speed, small
# enough that a slice's text (about 650 bytes a row for `overdue`) stays a few MB.
ROWS_PER_PIECE = 5_000


class _Unusual(Exception):
    """A value the fast path does not encode: the standard library does it instead."""


_CONSTANTS = {None: "null", True: "true", False: "false"}


def dumps_indented(data: Any) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False)`, character for character."""
    try:
        return _encode(data, "")
    except (_Unusual, RecursionError, TypeError):
        return json.dumps(data, indent=2, ensure_ascii=False)


def _encode(value: Any, indent: str) -> str:
    """`value` as indented JSON whose first line is already placed and whose last line sits at `indent`."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = indent + "  "
        texts = _rows(value, inner) if type(value[0]) is dict else None
        if texts is None:
            texts = [encode_basestring(item) if type(item) is str else _encode(item, inner) for item in value]
        return "[\n" + inner + (",\n" + inner).join(texts) + "\n" + indent + "]"
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + "  "
        texts = [
            _key(key) + (encode_basestring(item) if type(item) is str else _encode(item, inner))
            for key, item in value.items()
        ]
        return "{\n" + inner + (",\n" + inner).join(texts) + "\n" + indent + "}"
    if kind is int:
        return int.__repr__(value)
    if kind is bool or value is None:
        return _CONSTANTS[value]
    if kind is float and value - value == 0:  # finite: json writes NaN and Infinity its own way
        return float.__repr__(value)
    raise _Unusual


def _key(key: Any) -> str:
    if type(key) is not str:
        raise _Unusual  # json turns 1, 1.5, True or None keys into text: leave that to it
    return encode_basestring(key) + ": "


def _rows(rows: list[Any] | tuple[Any, ...], indent: str) -> list[str] | None:
    """Mappings with the same keys in the same order, each at `indent`, encoded column by column.

    None when the rows are not all such mappings (the caller then encodes them one by one).
    """
    keys = list(rows[0])
    if not keys or any(type(row) is not dict or list(row) != keys for row in rows):
        return None
    columns = [list(map(itemgetter(key), rows)) for key in keys]
    return _by_columns(keys, columns, indent)


def _by_columns(keys: list[str] | tuple[str, ...], columns: list[list[Any]], indent: str) -> list[str]:
    """Rows given as their columns (one list of values per key), each row at `indent`."""
    if not keys:
        return ["{}"] * (len(columns[0]) if columns else 0)
    inner = indent + "  "
    # One %-template per row shape: each row is then a single C-level formatting.
    fields = (",\n" + inner).join(_key(key).replace("%", "%%") + "%s" for key in keys)
    template = "{\n" + inner + fields + "\n" + indent + "}"
    texts = [_column(column, inner) for column in columns]
    return list(map(template.__mod__, zip(*texts, strict=True)))


def _column(values: list[Any], indent: str) -> list[str]:
    """Each value of one key across the rows, encoded as it stands after its key at `indent`."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return list(map(encode_basestring, values))
    if kinds == {int}:
        return list(map(int.__repr__, values))
    if kinds == {type(None)}:
        return ["null"] * len(values)
    if kinds == {str, type(None)}:
        return [encode_basestring(value) if value is not None else "null" for value in values]
    if kinds == {list}:
        with contextlib.suppress(TypeError):  # an item that is not text: encode the long way
            return _text_lists(values, indent)
    # Equal parts are often the same object (see the module docstring): each object once.
    # Every value stays alive in `values` meanwhile, so an id is never reused.
    done: dict[int, str] = {}
    texts = []
    for value in values:
        if type(value) is str:
            texts.append(encode_basestring(value))
            continue
        text = done.get(id(value))
        if text is None:
            text = done[id(value)] = _encode(value, indent)
        texts.append(text)
    return texts


def _text_lists(values: list[list[Any]], indent: str) -> list[str]:
    """Lists of text (leads, references). A plan has few distinct ones, so each is encoded once."""
    inner = indent + "  "
    opening, separator, closing = "[\n" + inner, ",\n" + inner, "\n" + indent + "]"
    encoded: dict[tuple[Any, ...], str] = {(): "[]"}
    same: dict[int, str] = {}  # rows often share the very list object: by id, before its contents
    texts = []
    for value in values:
        text = same.get(id(value))
        if text is None:
            key = tuple(value)
            text = encoded.get(key)
            if text is None:
                text = encoded[key] = opening + separator.join(map(encode_basestring, value)) + closing
            same[id(value)] = text
        texts.append(text)
    return texts


def render_json(listing: Listing, **_: Any) -> str:
    # JSON is the exact text, control characters and all (escaped as JSON escapes them).
    return dumps_indented(listing.json_data()) + "\n"


def json_pieces(listing: Listing) -> Iterator[str]:
    """`render_json(listing)` in pieces whose concatenation is exactly that text: a listing
    that gives its rows as records is encoded and handed on `ROWS_PER_PIECE` rows at a time."""
    found = listing.json_records()
    if found is None:
        yield render_json(listing)
        return
    keys, records = found
    if listing.records_key is None:
        yield from _list_pieces(keys, records, "")
        yield "\n"
        return
    mapping = listing.data() if callable(listing.data) else listing.data
    for index, (key, value) in enumerate(mapping.items()):
        yield ("{\n  " if index == 0 else ",\n  ") + _key(key)
        if key == listing.records_key:
            yield from _list_pieces(keys, records, "  ")
        else:
            yield _value_text(value, "  ")
    yield "\n}\n"


def _value_text(value: Any, indent: str) -> str:
    """`value` as it stands after its key at `indent`, as the standard library would write it."""
    try:
        return _encode(value, indent)
    except (_Unusual, RecursionError, TypeError):
        return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)


def _list_pieces(keys: tuple[str, ...], records: Iterable[tuple[Any, ...]], indent: str) -> Iterator[str]:
    """The list of the records' mappings, its first line already placed and its last at `indent`."""
    inner = indent + "  "
    first = True
    for piece in _slices(records, ROWS_PER_PIECE):
        yield ("[\n" + inner if first else ",\n" + inner) + (",\n" + inner).join(_records_text(keys, piece, inner))
        first = False
    yield "[]" if first else "\n" + indent + "]"


def _slices(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while piece := list(islice(iterator, size)):
        yield piece


def _records_text(keys: tuple[str, ...], records: list[tuple[Any, ...]], indent: str) -> list[str]:
    """Each record as the mapping `dict(zip(keys, record))` stands as an item of a list at `indent`."""
    try:
        return _by_columns(keys, [list(column) for column in zip(*records, strict=True)], indent)
    except (_Unusual, RecursionError, TypeError, ValueError):
        # The standard library's text of each row, one level in: what it writes inside a list.
        return [
            json.dumps(dict(zip(keys, record, strict=True)), indent=2, ensure_ascii=False).replace("\n", "\n" + indent)
            for record in records
        ]
