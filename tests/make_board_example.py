"""Write examples/board-quarter.yaml: the board-pack scenario's plan (tests/board_scenario.py),
for docs/board-pack.md. Run `python -m tests.make_board_example`; a test keeps it current."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from cheplan.cli.app import main
from tests.board_scenario import DECISIONS, first_meeting_plan, record_quarter
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "board-quarter.yaml"
HEADER = (
    "# ILLUSTRATIVE ONLY: the shipped Southwark plan with an invented quarter of progress, two board\n"
    "# meetings, proposals, asks and decisions, made by tests/make_board_example.py for\n"
    "# docs/board-pack.md. None of its progress, meetings or decisions happened.\n"
)


def example_text(folder: Path) -> str:
    plan = first_meeting_plan(folder)
    for action_id, options in DECISIONS:
        if main(["decide", str(action_id), *options, "--plan", str(plan)]) != 0:
            raise SystemExit(f"decide {action_id} failed")
    record_quarter(plan)
    return HEADER + plan.read_text(encoding="utf-8")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        EXAMPLE.write_text(example_text(Path(folder)), encoding="utf-8")
    sys.exit(0)
