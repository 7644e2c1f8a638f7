"""An installed (non-editable) cheplan finds its shipped plan from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cheplan.loading.locate import resolve_plan, resolve_registers, shipped_data_dir
from tests.conftest import REPO, SHIPPED_PLAN

pytest.importorskip("hatchling", reason="building the wheel offline needs the hatchling backend installed")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation and no dependencies: builds offline with the installed backend.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    [built] = out.glob("cheplan-*.whl")
    return built


def test_wheel_packages_the_shipped_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "cheplan/data/plan_2020_21.yaml" in names
    assert "cheplan/data/elr_recommendations.yaml" in names
    # the board report's templates, read with importlib.resources
    assert "cheplan/outputs/templates/report.html.j2" in names
    assert "cheplan/outputs/templates/report.md.j2" in names


def test_installed_package_finds_its_data_from_elsewhere(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "from cheplan.loading.locate import resolve_plan; print(resolve_plan(None))"
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("CHEPLAN_PLAN", None)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    found = Path(out.stdout.strip())
    assert found == site / "cheplan" / "data" / "plan_2020_21.yaml"
    assert found.read_bytes() == SHIPPED_PLAN.read_bytes()


def test_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert resolve_plan(None) == shipped_data_dir() / "plan_2020_21.yaml"
    monkeypatch.setenv("CHEPLAN_PLAN", str(tmp_path / "env.yaml"))
    assert resolve_plan(None) == tmp_path / "env.yaml"
    assert resolve_plan(tmp_path / "flag.yaml") == tmp_path / "flag.yaml"
    monkeypatch.setenv("CHEPLAN_REGISTER", os.pathsep.join(["a.yaml", "b.yaml"]))
    assert resolve_registers(None) == [Path("a.yaml"), Path("b.yaml")]
    assert resolve_registers([Path("c.yaml")]) == [Path("c.yaml")]
