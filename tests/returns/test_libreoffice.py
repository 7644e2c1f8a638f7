"""A real client: a filled-in return re-saved by LibreOffice imports and records what was typed."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from tests.conftest import MakePlan, RunCli, base_action, require_client
from tests.returns.workbooks import AS_OF, export, fill

pytestmark = pytest.mark.external


def test_a_workbook_resaved_by_libreoffice_imports(cli: RunCli, make_plan: MakePlan, tmp_path: Path) -> None:
    soffice = require_client("soffice")
    plan = make_plan([base_action(1, lead=["MPS"]), base_action(2, lead=["MPS"]), base_action(3, lead=["All"])])
    [exported] = export(cli, plan, tmp_path / "out", lead="MPS")
    filled = fill(
        exported,
        {
            1: {"New status": "In Progress", "Date of update": datetime(2020, 12, 1), "Progress note": "Line one\nTwo"},
            3: {
                "New status": "complete",
                "Date of update": "2 Dec 2020",
                "Progress note": "Shared widely",
                "Evidence of delivery": "Newsletter",
            },
        },
        out=tmp_path / "filled.xlsx",
    )
    resaved = tmp_path / "resaved"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(resaved),
            str(filled),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    converted = resaved / "filled.xlsx"
    assert converted.exists(), done.stdout + done.stderr
    assert converted.read_bytes() != filled.read_bytes()

    result = cli("returns", "import", converted, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert result.code == 0, result.stdout + result.stderr
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    recorded = {a["id"]: a.get("progress") for a in data["actions"]}
    mine = {"by": "MPS", "organisation": "mps"}
    assert recorded[1] == [{"date": "2020-12-01", "status": "in_progress", "note": "Line one\nTwo"} | mine]
    assert recorded[2] is None
    assert recorded[3] == [
        {"date": "2020-12-02", "status": "complete", "note": "Shared widely", "evidence": "Newsletter"} | mine
    ]
    again = cli("returns", "import", converted, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert again.code == 0
    assert "Nothing new to record" in again.stdout
