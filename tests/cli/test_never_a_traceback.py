"""Never a traceback: a full output device, a file name that is not UTF-8, text that is not UTF-8.

Run as a real program (a subprocess), since what is checked is what reaches the terminal,
including what the interpreter itself prints at exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import SHIPPED_PLAN, base_action, plan_data

DEV_FULL = Path("/dev/full")
# One failure in two distinct ways: a traceback, or the interpreter's own complaint at exit.
NOISE = ("Traceback", "Exception ignored", "internal error")


def run(
    *args: str | bytes | Path, stdout: int | None = subprocess.PIPE, **env: str
) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "CHEPLAN_NO_CACHE": "1", **env}
    environment.pop("CHEPLAN_PLAN", None)
    environment.pop("CHEPLAN_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "cheplan", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=environment,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["validate", "--help"], ["-h"]])
def test_help_and_version_to_a_full_device_fail_in_one_line(args: list[str]) -> None:
    with DEV_FULL.open("wb") as full:
        done = run(*args, stdout=full.fileno())
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2
    assert stderr == "cheplan: error: cannot write the output: No space left on device\n"


@pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["overdue", "--as-of", "2021-04-01"], ["actions", "-f", "json"]])
def test_a_command_writing_to_a_full_device_fails_in_one_line(args: list[str]) -> None:
    with DEV_FULL.open("wb") as full:
        done = run(*args, stdout=full.fileno())
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2
    assert not any(noise in stderr for noise in NOISE), stderr
    assert stderr.endswith("No space left on device\n"), stderr
    assert stderr.count("\n") == 1, stderr


@pytest.mark.parametrize("args", [["--version"], ["overdue", "-f", "json", "--as-of", "2021-04-01"], ["validate"]])
def test_a_closed_standard_output_fails_in_one_line(args: list[str]) -> None:
    # `cheplan ... >&-`: Python starts with sys.stdout set to None.
    done = subprocess.run(
        ["sh", "-c", 'exec "$0" -m cheplan "$@" >&-', sys.executable, *args],
        stderr=subprocess.PIPE,
        env={**os.environ, "CHEPLAN_NO_CACHE": "1"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode() == "cheplan: error: cannot write the output: standard output is closed\n"


def test_help_and_version_still_exit_0_normally() -> None:
    assert run("--version").stdout.decode().startswith("cheplan ")
    assert run("--help").returncode == 0


# A file name that is not UTF-8, under PYTHONIOENCODING=utf-8 (which makes stdout strict).

NAME = b"plan\xff.yaml"
SHOWN = "plan\\xff.yaml"


@pytest.fixture
def odd_names(tmp_path: Path) -> tuple[bytes, bytes]:
    directory = os.fsencode(tmp_path)
    good, bad = directory + b"/" + NAME, directory + b"/bad\xfe.yaml"
    try:
        with open(good, "wb") as handle:
            handle.write(SHIPPED_PLAN.read_bytes())
    except OSError:
        pytest.skip("this file system refuses file names that are not UTF-8")
    with open(bad, "wb") as handle:
        handle.write(b"actions: 3\n")
    return good, bad


@pytest.mark.parametrize("format_name", ["text", "json", "github"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(odd_names: tuple[bytes, bytes], format_name: str) -> None:
    good, bad = odd_names
    done = run("validate", good, bad, "--format", format_name, PYTHONIOENCODING="utf-8")
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert done.returncode == 1
    assert not any(noise in out + err for noise in NOISE), err
    assert f"{SHOWN}: 38 actions, 0 problems" in err
    if format_name == "json":
        assert {problem["file"].rsplit("/", 1)[-1] for problem in json.loads(out)} == {"bad\\xfe.yaml"}
    else:
        assert "bad\\xfe.yaml" in out


def test_other_commands_name_such_a_file_plainly_too(odd_names: tuple[bytes, bytes]) -> None:
    good, _ = odd_names
    commands: list[tuple[list[str | bytes | Path], int]] = [
        (["overdue", "--plan", good, "--as-of", "2021-04-01"], 0),
        (["validate", good + b".missing"], 2),
    ]
    for args, code in commands:
        done = run(*args, PYTHONIOENCODING="utf-8")
        err = done.stderr.decode("utf-8")
        assert done.returncode == code, err
        assert not any(noise in err for noise in NOISE), err


@pytest.mark.parametrize(("option", "value"), [("--note", b"caf\xe9 opened"), ("--by", b"Police \xff")])
def test_update_text_that_is_not_utf8_is_a_usage_error(tmp_path: Path, option: str, value: bytes) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(plan_data([base_action(1)]), sort_keys=False), encoding="utf-8")
    before = plan.read_bytes()
    args: list[str | bytes | Path] = ["update", "1", "--status", "in_progress", "--date", "2020-10-01"]
    done = run(*args, option, value, "--plan", plan, PYTHONIOENCODING="utf-8")
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert f"cheplan: error: {option} is not valid UTF-8 text (the byte 0x" in err
    assert not any(noise in err for noise in NOISE), err
    assert plan.read_bytes() == before


def test_require_utf8_names_the_byte_and_passes_good_text() -> None:
    from cheplan.cli.commands.output import require_utf8
    from cheplan.domain.errors import UsageError

    require_utf8(("--note", "Café ✓ “quoted”"), ("--by", None))
    with pytest.raises(UsageError, match=r"--note is not valid UTF-8 text \(the byte 0xe9 at character 4\)"):
        require_utf8(("--note", os.fsdecode(b"caf\xe9")))
    with pytest.raises(UsageError, match=r"U\+D800"):
        require_utf8(("--by", "x\ud800"))
