"""The exported JSON Schema as editors show it: descriptions as paragraphs, every field titled."""

from __future__ import annotations

from typing import Any


def for_editors(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with each description joined into paragraphs and a title on every field."""
    unwrapped: dict[str, Any] = _unwrapped(schema)
    for definition in [unwrapped, *unwrapped.get("$defs", {}).values()]:
        _titled(definition.get("properties", {}))
    return unwrapped


def _unwrapped(node: Any) -> Any:
    """Every description as paragraphs: editors wrap a hover to their own width, so the line
    breaks of a docstring would break it mid-sentence."""
    if isinstance(node, dict):
        return {
            key: paragraphs(value) if key == "description" and isinstance(value, str) else _unwrapped(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_unwrapped(item) for item in node]
    return node


def _titled(properties: dict[str, Any]) -> None:
    """An optional nested object (`closed: PlanClosure | None`) gets the title pydantic leaves out
    of a reference, as every other field has one: editors show it."""
    for name, spec in properties.items():
        if isinstance(spec, dict) and "$ref" not in spec and "title" not in spec:
            spec["title"] = name.replace("_", " ").title()


def paragraphs(text: str) -> str:
    """Join a docstring's wrapped lines: one line per paragraph, a blank line between paragraphs."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in text.strip().split("\n\n")]
    return "\n\n".join(" ".join(block.split()) for block in blocks if block.strip())
