"""How the loader types one scalar, and the PyYAML pieces it uses (imported on first parse).

Only the standard scalar tags are accepted (no ``!!python/*``); timestamps stay text, so
an impossible date is a validation error, not a crash; numbers whose value depends on the
reader (octal, sexagesimal...) are refused.
"""

from __future__ import annotations

import re
from typing import Any

from cheplan.domain.problems import Problem
from cheplan.loading.problem_cap import Tally

_T = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
TIMESTAMP, MERGE = _T + "timestamp", _T + "merge"
MAP_TAGS = frozenset({None, "!", _T + "map"})
SEQ_TAGS = frozenset({None, "!", _T + "seq"})
SCALAR_TAGS = frozenset({STR, INT, FLOAT, BOOL, NULL, TIMESTAMP})


class YamlApi:
    """The parts of PyYAML the builder uses, looked up once."""

    def __init__(self) -> None:
        import yaml

        self.yaml = yaml
        self.loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        self.using_c = self.loader is not yaml.SafeLoader
        self.constructor = yaml.constructor.SafeConstructor()
        # How a plain (unquoted) scalar is typed, by its first character, as yaml.resolver does it.
        resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
        anywhere = list(resolvers.get(None, []))
        self.implicit: dict[str, list[tuple[str, Any]]] = {
            first: [*candidates, *anywhere] for first, candidates in resolvers.items() if first is not None
        }
        self.implicit_anywhere = anywhere


_api: YamlApi | None = None


def yaml_api() -> YamlApi:
    global _api  # noqa: PLW0603 - one lazily built, read-only table per process
    if _api is None:
        _api = YamlApi()
    return _api


class Fatal(Exception):
    """A problem after which the rest of the file cannot be read."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def at(name: str, event: Any, code: str, message: str) -> Problem:
    mark = event.start_mark
    return Problem(name, mark.line + 1, mark.column + 1, code, message)


def typed_plain(api: YamlApi, event: Any, candidates: list[tuple[str, Any]], name: str, tally: Tally) -> Any:
    """An unquoted scalar that may be a number, a boolean or null, as YAML 1.1 reads it."""
    value: str = event.value
    # A loop, not next() over a generator: this runs for every unquoted value of a file.
    for candidate, pattern in candidates:
        if pattern.match(value):
            tag = candidate
            break
    else:
        return value
    if tag not in SCALAR_TAGS and tag != MERGE:
        return value  # text; "=" and YAML's other odd implicit tags mean nothing in a plan either
    if tag == TIMESTAMP:
        tally.offer(False, lambda: unquoted_date(name, event))
    return tagged(api, event, tag, name)


def unquoted_date(name: str, event: Any) -> Problem:
    """cheplan keeps an unquoted date as text, but every other YAML reader makes it a date
    object, which the published JSON Schema (a string) rejects: warn, so all tools agree."""
    value: str = event.value
    mark = event.start_mark
    message = (
        f"date {value} is not in quotes: other YAML readers take it as a date, not text, so tools"
        f' using the published JSON Schema (ajv, PyYAML with jsonschema) reject it; write "{value}"'
    )
    return Problem(name, mark.line + 1, mark.column + 1, "unquoted-date", message, "warning")


def tagged(api: YamlApi, event: Any, tag: str, name: str) -> Any:
    value: str = event.value
    if tag in (STR, TIMESTAMP):
        # Timestamps stay text: the schema decides what a valid date is.
        return value
    if tag == MERGE:
        raise Fatal(at(name, event, "yaml-merge", "merge keys (<<) are not supported; write the keys out"))
    if tag not in SCALAR_TAGS:
        raise Fatal(at(name, event, "yaml-tag", tag_message(tag)))
    if tag == NULL:
        return None
    if tag == INT and value.isascii() and value.isdigit() and (value[0] != "0" or len(value) == 1):
        # Plain decimal, the only kind a plan has (ids, versions): no need for PyYAML's parser.
        try:
            return int(value)
        except ValueError:  # over 4,300 digits: PyYAML's parser says so below
            pass
    return _constructed(api, event, tag, name)


def _constructed(api: YamlApi, event: Any, tag: str, name: str) -> Any:
    value: str = event.value
    yaml = api.yaml
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
    try:
        if tag == BOOL:
            return api.constructor.construct_yaml_bool(node)
        if tag == INT:
            number = api.constructor.construct_yaml_int(node)
            if not _DECIMAL.fullmatch(value):
                # 010 is 8 to YAML 1.1 but 10 to YAML 1.2 readers (editors, ruamel in `cheplan
                # update`): refuse any number whose value depends on who reads it.
                raise Fatal(at(name, event, "yaml-number", _AMBIGUOUS_NUMBER.format(value=value)))
            return number
        return api.constructor.construct_yaml_float(node)
    except (ValueError, KeyError, yaml.YAMLError):
        raise Fatal(at(name, event, "yaml-scalar", f"{value[:40]!r} is not a valid {tag.rsplit(':', 1)[-1]}")) from None


_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)", re.ASCII)
_AMBIGUOUS_NUMBER = (
    "{value!r} is an octal, hexadecimal, binary, sexagesimal or underscored number, which YAML readers"
    " disagree on; write a plain decimal number, or quote it if it is text"
)


def tag_message(tag: str | None) -> str:
    if tag and "python/" in tag:
        return f"unsafe tag {tag!r} refused: plan files hold plain data only"
    return f"tag {tag!r} is not allowed: plan files use plain mappings, lists, text and numbers"
