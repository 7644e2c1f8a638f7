"""`cheplan schema`: descriptions editors can wrap, `--out` for another repository, and the copy in the wheel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cheplan.loading.schema_text import paragraphs
from tests.conftest import REPO, RunCli


def descriptions(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["description"]] if isinstance(node.get("description"), str) else []
        return found + [d for value in node.values() for d in descriptions(value)]
    if isinstance(node, list):
        return [d for item in node for d in descriptions(item)]
    return []


@pytest.mark.parametrize("kind", ["plan", "register"])
def test_no_description_is_hard_wrapped(cli: RunCli, kind: str) -> None:
    found = descriptions(json.loads(cli("schema", kind).stdout))
    assert len(found) > 20
    wrapped = [d for d in found if "\n" in d.replace("\n\n", "")]
    assert wrapped == []
    assert all(d == d.strip() and "  " not in d for d in found)


def test_the_model_docstrings_are_wrapped_so_the_unwrapping_is_needed() -> None:
    """Guards the test above: it would pass trivially if no docstring ran over a line."""
    from pydantic import TypeAdapter

    from cheplan.domain.model import Plan

    raw = descriptions(TypeAdapter(Plan).json_schema())
    assert any("\n" in d for d in raw)


def test_paragraphs_join_lines_and_keep_paragraph_breaks() -> None:
    text = "Dated progress log, oldest first;\n  the latest entry sets the status.\n\nAdd entries\nwith update."
    assert paragraphs(text) == (
        "Dated progress log, oldest first; the latest entry sets the status.\n\nAdd entries with update."
    )
    assert paragraphs("One line.") == "One line."


def test_out_writes_the_schema_and_says_how_to_point_a_plan_at_it(cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "plan.schema.json"
    result = cli("schema", "plan", "--out", target)
    assert result.code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == (REPO / "schema" / "plan.schema.json").read_text(encoding="utf-8")
    assert "$schema=PATH" in result.stderr


def test_out_to_a_missing_directory_is_a_usage_error(cli: RunCli, tmp_path: Path) -> None:
    result = cli("schema", "--out", tmp_path / "no" / "such" / "plan.schema.json")
    assert result.code == 2
    assert "cannot write" in result.stderr
