"""Where the plan and registers are: an explicit path wins, then the environment, then the shipped data."""

from __future__ import annotations

import os
from pathlib import Path

PLAN_ENV = "CHEPLAN_PLAN"
REGISTER_ENV = "CHEPLAN_REGISTER"
SHIPPED_PLAN = "plan_2020_21.yaml"
SHIPPED_REGISTERS = ("elr_recommendations.yaml",)


def shipped_data_dir() -> Path:
    """The data packaged in the wheel, or the repository's data/ when running from a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data"
    if packaged.is_dir():
        return packaged
    return package.parent / "data"


def resolve_plan(explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    from_env = os.environ.get(PLAN_ENV)
    if from_env:
        return Path(from_env)
    return shipped_data_dir() / SHIPPED_PLAN


def resolve_registers(explicit: list[Path] | None) -> list[Path]:
    if explicit:
        return list(explicit)
    from_env = os.environ.get(REGISTER_ENV)
    if from_env:
        return [Path(p) for p in from_env.split(os.pathsep) if p]
    return [shipped_data_dir() / name for name in SHIPPED_REGISTERS]


def display_name(path: Path) -> str:
    """How a file is named in messages: as the user gave it, else relative to the cwd."""
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
