"""benchmarks/figures.py finds the other benchmark modules and judges every figure alike.

No timing here (speed is measured by benchmarks/run.py, never in a test): only that a
module's figures join the table, that a failing module shows as a FAIL row instead of hiding
the rest, and that PASS means measured <= target.
"""

from __future__ import annotations

import math
import subprocess
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


def _bench_of(figures_module: ModuleType, codes: dict[str, list[int]]) -> object:
    """A Bench whose every command took 0.1 s and exited 0, except the codes given."""
    measure = sys.modules["measure"]
    keys = [
        "python -c pass",
        "cheplan --help",
        "cheplan completion bash",
        *(f"overdue {kind} warm 38" for kind in ("table", "json")),
        "validate 38",
        "overdue json warm short 100000",
        *(f"validate {n}" for n in (1000, 10000)),
        *(f"{c} json {w} {n}" for c in ("overdue", "actions") for w in ("warm", "cold") for n in (1000, 10000)),
        "overdue table warm 10000",
    ]
    bench = measure.Bench(runs=1, slow_runs=1, env={})
    for key in keys:
        bench.results[key] = measure.Measurement(key, 0.1, 50.0, codes.get(key, [0, 0]), 2)
    return bench


def test_a_figure_whose_command_exits_unexpectedly_fails_and_says_the_code(figures_module: ModuleType) -> None:
    # The 100,000-action plan refused as too big: `overdue` exits 1 fast, which is no pass.
    bench = _bench_of(figures_module, {"overdue json warm short 100000": [1, 1]})
    found = figures_module.everyday_figures(bench, {"register_parses": 1, "hashes": 1, "code": 0})
    failed = [figure for figure in found if figures_module.verdict(figure) == "FAIL"]
    assert len(failed) == 1
    assert "100,000 short actions" in failed[0][0]
    assert "exited 1 (expected 0)" in failed[0][0]


def test_every_figure_is_exit_checked(figures_module: ModuleType) -> None:
    clean = _bench_of(figures_module, {})
    counts = {"register_parses": 1, "hashes": 1, "code": 0}
    found = [*figures_module.everyday_figures(clean, counts), *figures_module.standing_figures(clean, True)]
    assert {figures_module.verdict(figure) for figure in found} == {"PASS", "n/a"}  # n/a: no check-jsonschema
    # One run of a command exiting 2 (of several) fails every figure computed from that command.
    for key in ("validate 10000", "actions json cold 1000", "cheplan --help", "overdue table warm 38"):
        bench = _bench_of(figures_module, {key: [0, 2, 0]})
        found = [*figures_module.everyday_figures(bench, counts), *figures_module.standing_figures(bench, True)]
        failed = [label for label, *_ in found if "FAILED" in label]
        assert failed, key
        assert all(f"`{key}` exited 2 (expected 0)" in label for label in failed)
        assert all(math.isinf(measured) for label, measured, *_ in found if "FAILED" in label)
    many = figures_module.everyday_figures(clean, {**counts, "code": 1})
    assert [label for label, *_ in many if "FAILED" in label] == [
        "`validate` of 5 plans: register parses: FAILED, `validate` of 5 plans exited 1",
        "`validate` of 5 plans: hashes of cheplan's code: FAILED, `validate` of 5 plans exited 1",
    ]


def test_a_pin_figure_over_its_target_says_the_pin_holds_and_is_no_failure(figures_module: ModuleType) -> None:
    over = ("newest Typer", 16.3, 9.0, figures_module.PIN)
    assert figures_module.verdict(over) == "pin holds"
    assert figures_module.verdict(("newest Typer", 8.0, 9.0, figures_module.PIN)) == "PASS"
    assert figures_module.verdict(("`--help`", 6.0, 5.9, "×")) == "FAIL"


def test_a_child_s_peak_memory_is_its_own_not_its_parent_s(figures_module: ModuleType, tmp_path: Path) -> None:
    # This process holds 150 MiB more than a bare interpreter; a child forked or spawned from
    # it would report at least that at exec. The measuring interpreter keeps it out.
    held = bytearray(150 * 1024 * 1024)
    held[::4096] = b"\1" * len(held[::4096])
    measure = sys.modules["measure"]
    out = tmp_path / "out"
    run = measure.spawn_measured([sys.executable, "-c", "print('hello')"], stdout=out)
    assert run.code == 0
    assert out.read_text(encoding="utf-8") == "hello\n"
    assert run.peak_mib < 100, run
    assert run.cpu > 0
    del held


def test_every_machinery_patch_still_fits_the_code(figures_module: ModuleType) -> None:
    # machinery.py switches each piece of speed machinery off by replacing a name in cheplan;
    # a name that is gone would make the piece look as if it bought nothing. No timing here.
    import machinery

    patches = {name: value for name, value in vars(machinery).items() if name.startswith("NO_")}
    assert len(patches) >= 6
    for name, patch in patches.items():
        done = subprocess.run(
            [*machinery._launcher(patch), "--version"], capture_output=True, text=True, check=False, timeout=60
        )
        assert done.returncode == 0, (name, done.stderr)
