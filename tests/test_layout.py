"""The package's folders are the stages data flows through, and imports only run down them.

domain -> loading -> questions -> editing -> outputs -> cli: a module may import from its own
stage or an earlier one, never a later one. Imports inside functions count too (they are how
heavy libraries stay off start-up, and they are still dependencies).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cheplan"
STAGES = ["domain", "loading", "questions", "editing", "outputs", "cli"]
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60


def stage_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "cheplan" or len(parts) < 2 or parts[1] not in STAGES:
        return None
    return STAGES.index(parts[1])


def imported_modules(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def upward_imports(path: Path, stage: str) -> list[str]:
    own = STAGES.index(stage)
    return [
        f"{path.name}:{line}: imports {module} ({STAGES[found]})"
        for line, module in imported_modules(path)
        if (found := stage_of(module)) is not None and found > own
    ]


def modules() -> list[Path]:
    return sorted([*PACKAGE.rglob("*.py"), *(PACKAGE.parent / "benchmarks").rglob("*.py")])


def test_every_module_lives_in_a_stage() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py"}]
    assert loose == []
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()) == sorted(STAGES)


@pytest.mark.parametrize("stage", STAGES)
def test_imports_run_only_down_the_stages(stage: str) -> None:
    bad = [line for path in (PACKAGE / stage).rglob("*.py") for line in upward_imports(path, stage)]
    assert bad == []


def test_the_direction_check_catches_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "months.py"
    module.write_text("def f():\n    from cheplan.outputs.formats import render\n", encoding="utf-8")
    assert upward_imports(module, "domain") == ["months.py:2: imports cheplan.outputs.formats.render (outputs)"]
    assert upward_imports(module, "cli") == []


def test_no_module_is_too_long_to_read() -> None:
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_too_long_to_read() -> None:
    long = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno:
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE.parent)}:{node.name}"] = length
    assert long == {}
