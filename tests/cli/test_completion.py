"""`cheplan completion SHELL` prints a script, and cheplan answers the calls that script makes.

The shell side is driven as the shell drives it: `cheplan` run in a subprocess with
`_CHEPLAN_COMPLETE` and the words typed so far in the environment; and once through bash
itself, sourcing the printed script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RunCli

CHEPLAN = Path(sys.executable).with_name("cheplan")


def complete(words: str, instruction: str = "complete_bash") -> list[str]:
    """What bash completion offers for the words typed so far (the last one being completed)."""
    typed = words.split(" ")
    env = {
        **os.environ,
        "_CHEPLAN_COMPLETE": instruction,
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(typed) - 1),
    }
    done = subprocess.run([str(CHEPLAN)], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_gets_a_script_that_calls_cheplan_back(cli: RunCli, shell: str) -> None:
    result = cli("completion", shell)
    assert result.code == 0
    assert "_CHEPLAN_COMPLETE=complete_" + shell in result.stdout
    assert "cheplan" in result.stdout.split("_CHEPLAN_COMPLETE", 1)[1]


def test_an_unknown_shell_is_a_usage_error(cli: RunCli) -> None:
    result = cli("completion", "tcsh")
    assert result.code == 2
    assert "tcsh" in result.stderr


@pytest.mark.parametrize("instruction", ["complete_bash", "bash_complete"])
def test_a_command_name_completes(instruction: str) -> None:
    assert complete("cheplan ov", instruction) == ["overdue"]


def test_every_command_is_offered_from_nothing() -> None:
    offered = complete("cheplan ")
    assert {"overdue", "due", "validate", "completion"} <= set(offered)


def test_options_and_their_choices_complete() -> None:
    assert complete("cheplan overdue --fo") == ["--format"]
    assert complete("cheplan overdue --format ") == ["table", "json", "csv", "csv-excel", "markdown"]


def test_bash_itself_completes_with_the_printed_script(tmp_path: Path) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    script = tmp_path / "cheplan.bash"
    script.write_text(
        subprocess.run([str(CHEPLAN), "completion", "bash"], capture_output=True, text=True, check=True).stdout
    )
    session = (
        f"source {script}\n"
        "COMP_WORDS=(cheplan ov); COMP_CWORD=1\n"
        "_cheplan_completion cheplan\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{CHEPLAN.parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [bash, "--norc", "--noprofile"], input=session, capture_output=True, text=True, env=env, check=False
    )
    assert done.stdout.split() == ["overdue"], done.stderr
