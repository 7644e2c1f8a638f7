"""`trace` shows the indicators measuring each recommendation, and counts those with and without one."""

from __future__ import annotations

import json

from tests.conftest import RunCli
from tests.indicators.sheets import EXAMPLE


def test_selr_1_is_measured_by_nothing_on_the_shipped_plan(cli: RunCli) -> None:
    detail = cli("trace", "SELR-1", "--as-of", "2021-04-15")
    assert detail.code == 0
    assert any(line.split() == ["Measured", "by", "none"] for line in detail.stdout.splitlines()), detail.stdout
    listing = cli("trace", "--as-of", "2021-04-15")
    assert "Measured: 0 of 21 recommendations have an outcome indicator; 21 have none." in listing.stdout
    data = json.loads(cli("trace", "--as-of", "2021-04-15", "-f", "json").stdout)
    assert next(r for r in data["recommendations"] if r["id"] == "SELR-1")["measured_by"] == []
    assert (data["summary"]["measured"], data["summary"]["not_measured"]) == (0, 21)


def test_an_indicator_naming_a_recommendation_measures_it(cli: RunCli) -> None:
    detail = cli("trace", "SELR-1", "--plan", EXAMPLE, "--as-of", "2021-04-15", "-f", "json")
    assert json.loads(detail.stdout)["measured_by"] == ["youth-service-engagement"]
    listing = cli("trace", "--plan", EXAMPLE, "--as-of", "2021-04-15", "-f", "csv")
    header, *rows = listing.stdout.splitlines()
    assert "measured_by" in header
    assert any(row.startswith("Governance") and "SELR-1," in row and "youth-service-engagement" in row for row in rows)
    text = cli("trace", "--plan", EXAMPLE, "--as-of", "2021-04-15").stdout
    assert "Measured: 1 of 21 recommendations have an outcome indicator; 20 have none." in text
    assert max(len(line) for line in text.splitlines()) <= 80
