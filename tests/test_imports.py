"""Start-up budget, as behaviour: which heavy libraries each kind of run imports.

Timings belong to benchmarks/run.py; these tests pin the reasons the timings are what they
are. Each command runs in a fresh interpreter, which then reports the top-level packages
it imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER

HEAVY = {"rich", "pydantic", "pydantic_core", "yaml", "_yaml", "ruamel", "jinja2", "matplotlib", "numpy"}
AS_OF = ["--as-of", "2021-04-01"]

_PROBE = """
import json, sys
from cheplan.cli.app import main
main(sys.argv[1:])
sys.stderr.write("\\nIMPORTED " + json.dumps(sorted({m.partition(".")[0] for m in sys.modules})) + "\\n")
"""


def heavy_imports(*args: str, cache: Path | None = None) -> set[str]:
    """The heavy packages `cheplan ARGS` imports (with the cache in `cache`, else none)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHEPLAN_")}
    if cache is None:
        env["CHEPLAN_NO_CACHE"] = "1"
    else:
        env["CHEPLAN_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert "Traceback" not in done.stderr, done.stderr
    line = done.stderr.rpartition("\nIMPORTED ")[2]
    return HEAVY & set(json.loads(line))


@pytest.fixture
def warm_cache(tmp_path: Path) -> Path:
    """A cache that already knows the shipped plan is valid, as after any earlier command."""
    cache = tmp_path / "cache"
    assert heavy_imports("validate", cache=cache) >= {"yaml", "pydantic"}
    assert list(cache.iterdir())
    return cache


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["overdue", "--help"],
        ["validate", "--help"],
        ["report", "--help"],
        ["completion", "bash"],
    ],
)
def test_help_and_version_import_nothing_heavy(args: list[str]) -> None:
    assert heavy_imports(*args) == set()


@pytest.mark.parametrize("command", [["overdue", *AS_OF], ["actions"], ["due", *AS_OF], ["corrections"]])
@pytest.mark.parametrize("format_name", ["json", "csv"])
def test_machine_formats_never_import_rich(command: list[str], format_name: str, warm_cache: Path) -> None:
    cold = heavy_imports(*command, "-f", format_name)
    warm = heavy_imports(*command, "-f", format_name, cache=warm_cache)
    assert "rich" not in cold
    assert warm == set()  # and from the cache: no YAML, no pydantic either


def test_an_everyday_query_from_the_cache_imports_only_rich(warm_cache: Path) -> None:
    assert heavy_imports("overdue", *AS_OF, cache=warm_cache) == {"rich"}


def test_a_cache_miss_validates_with_pydantic() -> None:
    assert {"yaml", "pydantic"} <= heavy_imports("overdue", *AS_OF, "-f", "json")


def test_validate_never_imports_rich() -> None:
    imported = heavy_imports("validate", str(SHIPPED_PLAN), "--register", str(SHIPPED_REGISTER))
    assert "rich" not in imported
    assert "ruamel" not in imported


def test_only_the_html_report_draws_charts(warm_cache: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "report")
    markdown = heavy_imports("report", *AS_OF, "-f", "markdown", "-o", out, cache=warm_cache)
    html = heavy_imports("report", *AS_OF, "-f", "html", "-o", out, cache=warm_cache)
    assert markdown == {"jinja2"}  # no matplotlib, no numpy: the Markdown has the charts' tables only
    assert html == {"jinja2", "matplotlib", "numpy"}
