"""JSON text exactly as `json.dumps(data, indent=2, ensure_ascii=False)` writes it, only faster.

With an indent, the standard library encodes in pure Python, a generator per container:
about 4 s for the 100,000 rows of a large `overdue --format json`. The indented layout is
part of the output contract (the README shows it), so it stays. Here strings and integers go
through C (`encode_basestring`, `int.__repr__`) and a list of rows with the same keys (every
listing's shape) is encoded a column at a time, so most values never enter a Python frame.
Anything out of the ordinary (a non-text key, NaN, a type JSON has no form for) falls
back to the standard library, which then also raises its own errors.
"""

from __future__ import annotations

import contextlib
import json
from json.encoder import encode_basestring  # the C implementation when CPython has _json
from operator import itemgetter
from typing import Any

from cheplan.outputs.listing import Listing


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
    inner = indent + "  "
    # One %-template per row shape: each row is then a single C-level formatting.
    fields = (",\n" + inner).join(_key(key).replace("%", "%%") + "%s" for key in keys)
    template = "{\n" + inner + fields + "\n" + indent + "}"
    columns = [_column(list(map(itemgetter(key), rows)), inner) for key in keys]
    return list(map(template.__mod__, zip(*columns, strict=True)))


def _column(values: list[Any], indent: str) -> list[str]:
    """Each value of one key across the rows, encoded as it stands after its key at `indent`."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return list(map(encode_basestring, values))
    if kinds == {int}:
        return list(map(int.__repr__, values))
    if kinds == {list}:
        with contextlib.suppress(TypeError):  # an item that is not text: encode the long way
            return _text_lists(values, indent)
    return [encode_basestring(value) if type(value) is str else _encode(value, indent) for value in values]


def _text_lists(values: list[list[Any]], indent: str) -> list[str]:
    """Lists of text (leads, references). A plan has few distinct ones, so each is encoded once."""
    inner = indent + "  "
    opening, separator, closing = "[\n" + inner, ",\n" + inner, "\n" + indent + "]"
    encoded: dict[tuple[Any, ...], str] = {(): "[]"}
    texts = []
    for value in values:
        key = tuple(value)
        text = encoded.get(key)
        if text is None:
            text = encoded[key] = opening + separator.join(map(encode_basestring, value)) + closing
        texts.append(text)
    return texts


def render_json(listing: Listing, **_: Any) -> str:
    # JSON is the exact text, control characters and all (escaped as JSON escapes them).
    return dumps_indented(listing.json_data()) + "\n"
