"""docs/commands.md, the command reference, generated from each command's own `--help`.

    python -m tests.commands_reference          # rewrite docs/commands.md
    python -m tests.commands_reference --check  # exit 1 when it is not current

The reference is the public command line exactly as a user sees it: `cheplan ... --help` run
as a program at 80 columns with no colour, starting from `cheplan --help` and following every
command its "Commands:" list names (groups such as `returns` recursively). Nothing here knows
how the commands are written, so it keeps working however the command-line modules are
arranged. tests/test_docs.py fails when docs/commands.md is not what this writes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "docs" / "commands.md"
HELP_ENVIRONMENT = {"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"}
REGENERATE = "python -m tests.commands_reference"

_HEADER = f"""# Command reference

<!-- Generated from each command's --help by `{REGENERATE}`: do not edit by hand.
     tests/test_docs.py fails when this file is not current. -->

Every command's `--help`, as printed at 80 columns. The [README](../README.md) shows the
everyday commands at work; the other pages of [docs/](.) explain what each answers.
"""


def help_text(*command: str) -> str:
    """`cheplan COMMAND... --help` as a user's terminal shows it at 80 columns, without colour."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("CHEPLAN_")}
    environment.update(HELP_ENVIRONMENT)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), environment.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "cheplan", *command, "--help"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO,
        check=True,
        timeout=60,
    )
    return done.stdout


def subcommands(text: str) -> list[str]:
    """The names in a help text's "Commands:" list, in the order it gives them."""
    found = re.search(r"^Commands:\n((?:  .*\n?)+)", text, flags=re.MULTILINE)
    if found is None:
        return []
    return [match.group(1) for match in re.finditer(r"^  (\S+)", found.group(1), flags=re.MULTILINE)]


def every_command(*command: str) -> list[tuple[tuple[str, ...], str]]:
    """(the command's words, its help text) for `cheplan` and every command below it."""
    text = help_text(*command)
    found = [(command, text)]
    for name in subcommands(text):
        found += every_command(*command, name)
    return found


def _anchor(words: tuple[str, ...]) -> str:
    return "-".join(("cheplan", *words))


def reference() -> str:
    """The whole of docs/commands.md."""
    commands = every_command()
    contents = [f"- [`{' '.join(('cheplan', *words))}`](#{_anchor(words)})" for words, _ in commands]
    sections = []
    for words, text in commands:
        title = " ".join(("cheplan", *words))
        sections.append(f'<a id="{_anchor(words)}"></a>\n\n## `{title}`\n\n```text\n{text.rstrip()}\n```\n')
    return "\n".join([_HEADER, *contents, "", *sections])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = reference()
    if "--check" in args:
        current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
        if current != text:
            print(f"docs/commands.md is not current: run `{REGENERATE}`", file=sys.stderr)
            return 1
        return 0
    REFERENCE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
