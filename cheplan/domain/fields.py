"""Field types for the plan schema.

Each type is ``Annotated[base, marker]``. The marker tells pydantic, when it builds a
validator, how to check the value; it imports pydantic only at that moment. So the model
classes stay plain, fast-to-import dataclasses for every command that reads an already
validated plan, and ``cheplan validate`` still gets pydantic's full, strict checking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from cheplan.domain.months import date_problem, month_problem
from cheplan.domain.periods import PERIOD_PATTERN, period_problem
from cheplan.domain.refs import REFERENCE_PATTERN, reference_problem

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema


class _Strict:
    """No coercion: a YAML number is never silently text, "1" is never silently a number.

    Strictness is per field so that (lax) dataclass validation accepts mappings.
    """

    min_length: int | None = None
    ge: int | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = dict(handler(source))
        schema["strict"] = True
        if self.min_length is not None:
            schema["min_length"] = self.min_length
        if self.ge is not None:
            schema["ge"] = self.ge
        return schema


class _NonEmpty(_Strict):
    min_length = 1


class _Positive(_Strict):
    ge = 1


class _Checked(_Strict):
    """A strict string checked by a function that returns why it is wrong (or None)."""

    def __init__(self, check: Callable[[str], str | None], pattern: str, example: str) -> None:
        self.check = check
        self.pattern = pattern
        self.example = example

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import PydanticCustomError, core_schema

        def validate(value: str) -> str:
            problem = self.check(value)
            if problem:
                raise PydanticCustomError("cheplan_format", problem)
            return value

        return core_schema.no_info_after_validator_function(validate, core_schema.str_schema(strict=True))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        json_schema["examples"] = [self.example]
        return json_schema


def _slug_problem(value: str) -> str | None:
    import re

    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        return None
    return f'{value!r} is not an id: use lower-case words joined by hyphens, e.g. "root-causes"'


def _code_problem(value: str) -> str | None:
    import re

    if re.fullmatch(r"[A-Z][A-Za-z]*", value):
        return None
    return f'{value!r} is not a source code: use letters starting with a capital, e.g. "SELR"'


NonEmpty = _NonEmpty()
"""Marker for a list that must have at least one entry: `Annotated[list[X], NonEmpty]`."""
Text = Annotated[str, _NonEmpty()]
"""Non-empty text; a number or a boolean is an error, never silently converted."""
AnyText = Annotated[str, _Strict()]
Count = Annotated[int, _Positive()]
Month = Annotated[str, _Checked(month_problem, r"^(19\d\d|2\d{3})-(0[1-9]|1[0-2])$", "2020-09")]
IsoDate = Annotated[
    str, _Checked(date_problem, r"^(19\d\d|2\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", "2020-09-30")
]
Reference = Annotated[str, _Checked(reference_problem, REFERENCE_PATTERN, "SELR-1")]
Slug = Annotated[str, _Checked(_slug_problem, r"^[a-z0-9]+(-[a-z0-9]+)*$", "root-causes")]
SourceCode = Annotated[str, _Checked(_code_problem, r"^[A-Z][A-Za-z]*$", "SELR")]


class _Finite:
    """A number as written (7 stays 7, 7.5 stays 7.5): text, a boolean, `.nan` or `.inf` is an error."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        import math

        from pydantic_core import PydanticCustomError, core_schema

        def validate(value: object) -> int | float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise PydanticCustomError("cheplan_format", f"expected a number, got {value!r}")
            if isinstance(value, float) and not math.isfinite(value):
                raise PydanticCustomError("cheplan_format", f"expected a finite number, got {value!r}")
            return value

        return core_schema.no_info_plain_validator_function(validate)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "number"}


Number = Annotated[int | float, _Finite()]
"""A finite number, whole or not; text, a boolean, NaN or infinity is an error."""

ReportingPeriod = Annotated[str, _Checked(period_problem, PERIOD_PATTERN, "2020-Q1")]
"""A month "YYYY-MM" or a quarter "YYYY-Qn": when an indicator's figure is for."""
