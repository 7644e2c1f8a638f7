"""`cheplan organisations` shows each organisation's contacts; its JSON carries them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunCli
from tests.returns.round_plan import plan_with_contacts


def test_contacts_are_listed_and_in_json(cli: RunCli, tmp_path: Path) -> None:
    plan = plan_with_contacts(tmp_path)
    table = cli("organisations", "--plan", plan, "--as-of", "2020-10-01")
    assert table.code == 0, table.stderr
    assert "Contacts: Returns officer (nps), Illustrative contact" in table.stdout
    assert all(len(line) <= 80 for line in table.stdout.splitlines())
    data = json.loads(cli("organisations", "--plan", plan, "--as-of", "2020-10-01", "-f", "json").stdout)
    nps = next(o for o in data if o["id"] == "nps")
    assert nps["contacts"] == [
        {
            "name": "Returns officer (nps)",
            "email": "returns@nps.example.org",
            "role": "Illustrative contact",
            "primary": True,
        },
        {"name": "Deputy (nps)", "email": "deputy@nps.example.org", "role": None, "primary": False},
    ]


def test_without_contacts_the_table_is_as_before(cli: RunCli) -> None:
    result = cli("organisations", "--as-of", "2020-10-01")
    assert result.code == 0
    assert "Contacts" not in result.stdout
