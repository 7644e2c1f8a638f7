"""The README stays short and points into docs/, every link between the pages leads somewhere,
and docs/commands.md is exactly what the commands' own --help prints today.

The console examples of every page are run by tests/test_readme.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import commands_reference
from tests.conftest import REPO

README = REPO / "README.md"
DOCS = REPO / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
README_MAX_LINES = 150


def test_the_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert 8 <= len(lines) <= README_MAX_LINES


def test_the_readme_keeps_the_test_command_that_ci_runs() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- test-command -->\n")[1].split("<!-- /test-command -->")[0]
    commands = [line for line in block.splitlines() if line.startswith(("python", "pip"))]
    assert len(commands) == 1, block
    assert "pytest" in commands[0]


def test_the_readme_links_every_page_of_the_docs() -> None:
    text = README.read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(docs/([\w.-]+\.md)\)", text))
    assert linked == {page.name for page in DOCS.glob("*.md")}


def _headings_as_anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings, and its explicit `<a id>` anchors."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    anchors = set(re.findall(r'<a id="([^"]+)"', text))
    for heading in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE):
        anchors.add(re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_leads_somewhere(page: Path) -> None:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"\w+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target}"
        if anchor and linked.suffix == ".md":
            assert anchor in _headings_as_anchors(linked), f"{page.name}: {target}"


def test_the_command_reference_is_current() -> None:
    written = (DOCS / "commands.md").read_text(encoding="utf-8")
    assert written == commands_reference.reference(), (
        f"docs/commands.md is not what the commands' --help prints: run `{commands_reference.REGENERATE}`"
    )


def test_the_reference_covers_every_command_the_help_lists() -> None:
    written = (DOCS / "commands.md").read_text(encoding="utf-8")
    listed = commands_reference.subcommands(commands_reference.help_text())
    assert len(listed) >= 10
    for name in listed:
        assert f"## `cheplan {name}`" in written
