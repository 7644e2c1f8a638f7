"""openpyxl and icalendar load only for the commands that use them (start-up speed is a feature)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import SHIPPED_PLAN

LIBRARIES = {"openpyxl", "icalendar", "defusedxml", "et_xmlfile"}
_PROBE = """
import json, sys
from cheplan.cli.app import main
main(sys.argv[1:])
sys.stderr.write("\\nIMPORTED " + json.dumps(sorted({m.partition(".")[0] for m in sys.modules})) + "\\n")
"""


def imported(*args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHEPLAN_")} | {"CHEPLAN_NO_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert "Traceback" not in done.stderr, done.stderr
    return LIBRARIES & set(json.loads(done.stderr.rpartition("\nIMPORTED ")[2]))


@pytest.mark.parametrize(
    "args",
    [["--help"], ["returns", "--help"], ["calendar", "--help"], ["overdue", "--as-of", "2021-01-01", "-f", "json"]],
)
def test_other_commands_import_neither(args: list[str]) -> None:
    assert imported(*args) == set()


def test_calendar_imports_icalendar_only() -> None:
    assert imported("calendar", "--plan", str(SHIPPED_PLAN), "--as-of", "2021-01-01") == {"icalendar"}
