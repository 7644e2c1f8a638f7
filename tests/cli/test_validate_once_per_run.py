"""A `validate` of many plans (as pre-commit runs it) reads each register once per run."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from cheplan.loading import load
from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER, RunCli


def test_a_register_shared_by_several_plans_is_parsed_once(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = [shutil.copy(SHIPPED_PLAN, tmp_path / f"plan_{n}.yaml") for n in range(3)]
    parsed: list[str] = []
    real_parse = load.parse_yaml  # type: ignore[attr-defined]

    def counting_parse(text: str, name: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(Path(name).name)
        return real_parse(text, name, *args, **kwargs)

    monkeypatch.setattr(load, "parse_yaml", counting_parse)
    load._register_of.cache_clear()
    result = cli("validate", *plans, "--register", SHIPPED_REGISTER)
    assert result.code == 0, result.stderr
    assert sorted(parsed) == ["elr_recommendations.yaml", "plan_0.yaml", "plan_1.yaml", "plan_2.yaml"]
    assert result.stderr.count("38 actions, 0 problems") == 3


def test_a_register_edited_between_runs_is_parsed_again(cli: RunCli, tmp_path: Path) -> None:
    register = tmp_path / "register.yaml"
    register.write_text(SHIPPED_REGISTER.read_text(encoding="utf-8"), encoding="utf-8")
    assert cli("validate", SHIPPED_PLAN, "--no-default-registers", "--register", register).code == 0
    register.write_text("recommendations: [\n", encoding="utf-8")
    broken = cli("validate", SHIPPED_PLAN, "--no-default-registers", "--register", register)
    assert broken.code == 1  # a problem in the register, at its place
    assert "register.yaml:" in broken.stdout + broken.stderr


def test_cheplan_code_is_hashed_once_per_run(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cheplan.loading import cache

    plans = [shutil.copy(SHIPPED_PLAN, tmp_path / f"plan_{n}.yaml") for n in range(3)]
    monkeypatch.delenv("CHEPLAN_NO_CACHE")
    monkeypatch.setenv("CHEPLAN_CACHE_DIR", str(tmp_path / "cache"))
    schema_module = Path(cache.__file__).parent / "schema.py"
    hashed: list[Path] = []
    from cheplan.domain.filesystem.reading import read_regular as real_read

    def counting_read(path: Path, display: str) -> bytes:
        if path == schema_module:
            hashed.append(path)
        return real_read(path, display)

    monkeypatch.setattr(cache, "read_regular", counting_read)
    cache._code_fingerprint.cache_clear()
    result = cli("validate", *plans)
    assert result.code == 0, result.stderr
    assert len(hashed) == 1
