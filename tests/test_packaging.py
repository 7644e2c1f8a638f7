"""An installed (non-editable) cheplan finds its shipped plan from any directory."""

from __future__ import annotations

import os
import posixpath
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cheplan.loading.locate import registers_option, resolve_plan, resolve_registers, shipped_data_dir
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


def test_wheel_packages_the_json_schemas_where_the_shipped_plan_points(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    for kind in ("plan", "register"):
        packaged = archive.read(f"cheplan/schema/{kind}.schema.json")
        assert packaged == (REPO / "schema" / f"{kind}.schema.json").read_bytes()
    # The shipped plan's modeline, resolved from its place in the package.
    modeline = archive.read("cheplan/data/plan_2020_21.yaml").decode("utf-8").splitlines()[0]
    target = modeline.split("$schema=", 1)[1]
    assert posixpath.normpath(posixpath.join("cheplan/data", target)) == "cheplan/schema/plan.schema.json"


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
    # --register adds to the defaults; --no-default-registers leaves them out.
    assert resolve_registers([Path("c.yaml")]) == [Path("a.yaml"), Path("b.yaml"), Path("c.yaml")]
    assert resolve_registers(registers_option([Path("c.yaml")], defaults=False)) == [Path("c.yaml")]
