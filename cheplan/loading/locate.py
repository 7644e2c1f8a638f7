"""Where the plan and registers are.

The plan: an explicit path wins, then the environment, then the shipped plan. The registers:
the default (the environment, else the shipped register) plus each one named; the default is
left out only when asked.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from cheplan.domain.errors import UsageError
from cheplan.domain.filesystem.reading import is_folder
from cheplan.domain.safe_text import safe_file_name

PLAN_ENV = "CHEPLAN_PLAN"
REGISTER_ENV = "CHEPLAN_REGISTER"
SHIPPED_PLAN = "plan_2020_21.yaml"
SHIPPED_REGISTERS = ("elr_recommendations.yaml",)


def shipped_data_dir() -> Path:
    """The data packaged in the wheel, or the repository's data/ when running from a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data"
    if is_folder(packaged):
        return packaged
    return package.parent / "data"


def resolve_plan(explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    from_env = os.environ.get(PLAN_ENV)
    if from_env:
        return Path(from_env)
    return shipped_data_dir() / SHIPPED_PLAN


class OnlyTheseRegisters(list[Path]):
    """Registers named with --no-default-registers: exactly these, the defaults left out.

    A list, so every command passes it on unchanged; `resolve_registers` tells it apart.
    """


def default_registers() -> list[Path]:
    """$CHEPLAN_REGISTER (paths separated by os.pathsep), else the shipped ELR register."""
    from_env = os.environ.get(REGISTER_ENV)
    if from_env:
        return [Path(p) for p in from_env.split(os.pathsep) if p]
    return [shipped_data_dir() / name for name in SHIPPED_REGISTERS]


def registers_option(given: list[Path] | None, *, defaults: bool) -> list[Path] | None:
    """What --register and --no-default-registers ask for, as the command line passes it on."""
    return given if defaults else OnlyTheseRegisters(given or [])


def resolve_registers(explicit: list[Path] | None) -> list[Path]:
    """The default registers plus each --register file: adding a register never drops the
    shipped one by surprise. A file named twice (the shipped register named again, through
    another path or a link) is read once."""
    if isinstance(explicit, OnlyTheseRegisters):
        if not explicit:
            raise UsageError("--no-default-registers leaves out the default register: name one with --register FILE")
        chosen = list(explicit)
    else:
        chosen = [*default_registers(), *(explicit or [])]
    unique: dict[Path | str, Path] = {}
    for path in chosen:
        unique.setdefault(_identity(path), path)
    return list(unique.values())


def _identity(path: Path) -> Path | str:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop: left for reading to report
        return str(path)


def display_name(path: Path) -> str:
    """How a file is named in messages: as the user gave it, else relative to the cwd.

    A name that is not UTF-8 (bytes Python keeps as surrogate escapes) is shown with those
    bytes as visible escapes, `plan\\xff.yaml`, so every output can print it, whatever its encoding;
    and, as every file name in a message, through `safe_file_name`: a newline or an escape
    sequence in it is shown, and it cannot start a line a CI runner would obey.
    """
    name = str(path)
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            name = str(path.relative_to(Path.cwd()))
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = os.fsencode(name).decode("utf-8", errors="backslashreplace")
    return safe_file_name(name)
