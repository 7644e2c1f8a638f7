"""The examples of the README and of docs/*.md are tested: every `$ cheplan ...` line in a
```console block runs, and its output must match what the page shows (a line `...` ends the
shown part).

Commands run in a temporary directory holding `plan.yaml`, a copy of the shipped plan, and
`examples/`, a copy of the illustrative plans, so examples can edit a plan without touching the
shipped one. `# exit N` after a command gives
the expected exit code (default 0).
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, SHIPPED_PLAN, RunCli

README = REPO / "README.md"
# Every page with examples: the README, then docs/ (commands.md is --help text, not examples).
PAGES = [README, *sorted((REPO / "docs").glob("*.md"))]


@dataclass
class Example:
    page: str
    args: list[str]
    exit_code: int
    expected: list[str]


def console_blocks(page: Path) -> list[list[Example]]:
    blocks = re.findall(r"```console\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    parsed = []
    for block in blocks:
        examples: list[Example] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                command, _, comment = line[2:].partition("  # exit ")
                args = shlex.split(command)
                assert args[0] == "cheplan", line
                examples.append(Example(page.name, args[1:], int(comment or 0), []))
            else:
                examples[-1].expected.append(line.rstrip())
        parsed.append(examples)
    return parsed


BLOCKS = [block for page in PAGES for block in console_blocks(page)]


def test_the_readme_and_the_docs_have_examples() -> None:
    pages = {block[0].page for block in BLOCKS}
    assert {"README.md", "guide.md", "board-pack.md", "ci-and-editors.md", "returns.md"} <= pages
    assert len(BLOCKS) >= 10


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: f"{b[0].page}: " + " / ".join(" ".join(e.args[:2]) for e in b))
def test_readme_example(block: list[Example], cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(SHIPPED_PLAN, tmp_path / "plan.yaml")
    shutil.copytree(REPO / "examples", tmp_path / "examples")  # illustrative plans the docs use
    monkeypatch.chdir(tmp_path)
    for example in block:
        result = cli(*example.args)
        assert result.code == example.exit_code, (example.page, example.args, result)
        actual = [line.rstrip() for line in (result.stdout + result.stderr).rstrip("\n").splitlines()]
        expected = example.expected
        if "..." in expected:
            cut = expected.index("...")
            assert actual[:cut] == expected[:cut], (example.page, example.args)
        else:
            assert actual == expected, (example.page, example.args)
