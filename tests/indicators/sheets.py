"""Helpers: the example plan copied to a test folder, its Measures sheet exported and filled in."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl

from tests.conftest import RunCli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "plan_with_indicators.yaml"
AS_OF = "2021-04-15"
OWNER = "lbs-public-health"
# Four quarters after the 2020-Q1 baselines: up is better and on track, down is better and off
# track, one left blank (no data), and one whose last value is corrected afterwards.
FOUR_QUARTERS: dict[str, list[Any]] = {
    "youth-service-engagement": [24, 29, 33, 41],
    "knife-injury-admissions": [39, 38, 37.0, "36"],  # a number stored as text is accepted
    "repeat-exclusions": [96, 90, 86, 90],
}


def example_plan(folder: Path) -> Path:
    target = folder / "plan.yaml"
    shutil.copyfile(EXAMPLE, target)
    return target


def export_measures(cli: RunCli, plan: Path, out: Path) -> Path:
    result = cli("returns", "export", "--out", out, "--plan", plan, "--lead", OWNER, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    return out / f"returns-{OWNER}.xlsx"


def fill_measures(path: Path, values: dict[str, list[Any]], out: Path, notes: dict[str, str] | None = None) -> Path:
    """Type each indicator's values into Value 1, Value 2, ... of its row."""
    book = openpyxl.load_workbook(path)
    sheet = book["Measures"]
    headers = {cell.value: cell.column for cell in sheet[1] if cell.value}
    for row in range(2, sheet.max_row + 1):
        indicator_id = sheet.cell(row=row, column=1).value
        for number, value in enumerate(values.get(str(indicator_id), []), start=1):
            sheet.cell(row=row, column=headers[f"Value {number}"]).value = value
        if notes and indicator_id in notes:
            sheet.cell(row=row, column=headers["Note 1"]).value = notes[str(indicator_id)]
    book.save(out)
    return out


def resave_with_libreoffice(soffice: str, path: Path, folder: Path) -> Path:
    """The workbook opened and saved again by LibreOffice (`--convert-to xlsx`)."""
    resaved = folder / "resaved"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(resaved),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    converted = resaved / path.name
    assert converted.exists(), done.stdout + done.stderr
    return converted


def example_with_values(folder: Path) -> Path:
    """The example plan with the four quarters already recorded and the last exclusions figure corrected."""
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for indicator in data["indicators"]:
        figures = FOUR_QUARTERS.get(indicator["id"], [])
        quarters = ["2020-Q2", "2020-Q3", "2020-Q4", "2021-Q1"]
        indicator["values"] = [{"period": q, "value": float(v)} for q, v in zip(quarters, figures, strict=False)]
        if indicator["id"] == "repeat-exclusions":
            indicator["values"].append({"corrects": "2021-Q1", "value": 79, "note": "Two overturned on appeal"})
    target = folder / "plan_with_values.yaml"
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target
