"""Plans for the board report tests: the shipped plan with a few progress entries, and a hostile one.

The progress entries are test data written for these tests, never part of data/ (the source
records no progress).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.conftest import SHIPPED_PLAN, base_action, plan_data

AS_OF = "2020-10-01"
PROGRESS: dict[int, list[dict[str, Any]]] = {
    1: [
        {"date": "2020-06-25", "status": "in_progress", "note": "Terms of reference drafted."},
        {
            "date": "2020-09-15",
            "status": "complete",
            "note": "Board established; first meeting held on 15 September 2020.",
            "by": "Community Harm and Exploitation Board",
        },
    ],
    2: [{"date": "2020-09-01", "status": "in_progress", "note": "Hub pilot running in two localities."}],
    8: [{"date": "2020-05-10", "status": "in_progress", "note": "Needs assessment scoped."}],
    10: [
        {
            "date": "2020-08-20",
            "status": "in_progress",
            "note": "Agreed by the board on 2020-08-20: analyst recruitment delayed.",
            "revised_end": "2020-12",
        }
    ],
    12: [{"date": "2020-08-01", "status": "dropped", "note": "Merged into action 11 by the board on 2020-08-01."}],
    26: [
        {
            "date": "2020-09-20",
            "status": "in_progress",
            "note": "Mentor funding withdrawn; seeking a new funder.",
            "rag": "red",
            "by": "LBS Education",
        }
    ],
    30: [{"date": "2020-09-01", "status": "planned", "note": "Campaign planned for January."}],
}


def shipped_with_progress(tmp_path: Path) -> Path:
    """A copy of the shipped plan with the progress entries above."""
    data = yaml.safe_load(SHIPPED_PLAN.read_text(encoding="utf-8"))
    for action in data["actions"]:
        entries = PROGRESS.get(action["id"])
        if entries:
            action["progress"] = entries
            action["status"] = entries[-1]["status"]
    path = tmp_path / "plan_with_progress.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# What a hostile plan tries: markup that would run, change the title or add text; a newline
# that would start a Markdown heading or end a table row; control characters and a bidi override.
SCRIPT = "<script>document.title='PWNED';document.write('INJECTED')</script>"
HOSTILE_TITLE = f"Plan {SCRIPT}\n# Heading | cell\x1b[31m"
HOSTILE_NOTE = (
    "Note <img src=x onerror=\"document.write('INJECTED')\"> [link](http://example.invalid)\n\n- item \x07 \u202e"
)


def hostile_plan(tmp_path: Path) -> Path:
    actions = [
        base_action(
            1,
            action=f"Act {SCRIPT} *now* & &amp; `code` $x$",
            end="2020-09",
            status="in_progress",
            progress=[{"date": "2020-09-01", "status": "in_progress", "note": HOSTILE_NOTE, "by": "<b>MPS</b>"}],
        ),
        base_action(2, theme="enforcement", action="Line one\n## not a heading\n| a | b |", lead=[f"Org {SCRIPT}"]),
    ]
    data = plan_data(actions)
    data["plan"]["title"] = HOSTILE_TITLE
    data["themes"][0]["title"] = f"Theme {SCRIPT}"
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
