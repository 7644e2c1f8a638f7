"""benchmarks/figures.py finds the other benchmark modules and judges every figure alike.

No timing here (speed is measured by benchmarks/run.py, never in a test): only that a
module's figures join the table, that a failing module shows as a FAIL row instead of hiding
the rest, and that PASS means measured <= target.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture
def figures_module() -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import figures

        yield figures
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_a_module_s_figures_join_the_table(figures_module: ModuleType, tmp_path: Path) -> None:
    module = tmp_path / "toy_bench.py"
    module.write_text(
        "def figures(quick):\n"
        "    return [('toy fast', 1.0, 2.0, 's'), ('toy slow', 3, 2, 's'), ('toy quick flag', float(quick), 0, '')]\n",
        encoding="utf-8",
    )
    found = figures_module.figures_of(module, True)
    assert found == [("toy fast", 1.0, 2.0, "s"), ("toy slow", 3.0, 2.0, "s"), ("toy quick flag", 1.0, 0.0, "")]
    assert [figures_module.verdict(f) for f in found] == ["PASS", "FAIL", "FAIL"]


def test_a_broken_module_is_one_fail_row(figures_module: ModuleType, tmp_path: Path) -> None:
    module = tmp_path / "broken_bench.py"
    module.write_text("def figures(quick):\n    raise RuntimeError('no plan')\n", encoding="utf-8")
    [row] = figures_module.figures_of(module, False)
    assert row[0].startswith("broken_bench")
    assert figures_module.verdict(row) == "FAIL"


def test_equal_to_the_target_passes_and_not_measured_is_n_a(figures_module: ModuleType) -> None:
    assert figures_module.verdict(("at the limit", 3.0, 3.0, "s")) == "PASS"
    assert figures_module.verdict(("no tool", math.nan, 3.0, "s")) == "n/a"


def test_every_bench_module_in_the_folder_is_found(figures_module: ModuleType) -> None:
    found = {path.name for path in figures_module.other_modules()}
    assert found == {path.name for path in BENCHMARKS.glob("*_bench.py")}
    assert "run.py" not in found
