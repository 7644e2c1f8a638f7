"""`cheplan init` rebuilds the shipped plan from its source table, and reads another layout.

The tables are generated here from data/ (tests/plan_tables.py), as .docx and .xlsx in the
Cabinet paper's layout; nothing needs ../shared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import RunCli
from tests.plan_tables import shipped, write_docx, write_xlsx

PERIOD = "2021-04..2022-03"
# The shipped plan splits this cell into two partners by editorial judgement (its source note
# says so); init keeps it whole, as printed, and asks a person.
JOINED = "Southwark CRC and NPS"


def init(cli: RunCli, table: Path, out: Path, *more: str) -> tuple[dict[str, Any], str]:
    result = cli("init", "--from", table, "--title", "A plan", "--period", PERIOD, "--out", out, *more)
    assert result.code == 0, result.stderr
    data: dict[str, Any] = yaml.safe_load(out.read_text(encoding="utf-8"))
    return data, result.stderr


def corrected_references(action: dict[str, Any]) -> bool:
    """The shipped plan corrects what the table printed for this action's references."""
    return any(n["field"] == "recommendations" and n.get("corrected") for n in action.get("source_notes", []))


def groups(data: dict[str, Any]) -> set[frozenset[str]]:
    """The directory's groups of printed leads: which spellings are one organisation."""
    printed = {lead for action in data["actions"] for lead in action["lead"]}
    found = {frozenset({o["name"], *o.get("aliases", [])} & printed) for o in data["organisations"]}
    return {group for group in found if group}


@pytest.fixture(params=["docx", "xlsx"])
def rebuilt(request: pytest.FixtureRequest, tmp_path: Path, cli: RunCli) -> tuple[dict[str, Any], str]:
    table = tmp_path / f"paper.{request.param}"
    (write_docx if request.param == "docx" else write_xlsx)(table)
    return init(cli, table, tmp_path / "plan.yaml")


def test_init_gives_the_same_38_actions_text_for_text(rebuilt: tuple[dict[str, Any], str]) -> None:
    made, _ = rebuilt
    original = shipped()
    assert [a["id"] for a in made["actions"]] == [a["id"] for a in original["actions"]]
    made_themes = {t["id"]: t for t in made["themes"]}
    original_themes = {t["id"]: t for t in original["themes"]}
    for mine, theirs in zip(made["actions"], original["actions"], strict=True):
        for key in ("action", "outcomes", "lead_printed", "start", "end", "recommendations_printed", "status"):
            assert mine[key] == theirs[key], (theirs["id"], key)
        if theirs["lead_printed"] != JOINED:
            assert mine["lead"] == theirs["lead"], theirs["id"]
        theme, their_theme = made_themes[mine["theme"]], original_themes[theirs["theme"]]
        assert (theme["title"], theme["description"]) == (their_theme["title"], their_theme["description"])


def test_init_gives_the_same_references(rebuilt: tuple[dict[str, Any], str]) -> None:
    made, _ = rebuilt
    pairs = list(zip(made["actions"], shipped()["actions"], strict=True))
    same = [(mine, theirs) for mine, theirs in pairs if not corrected_references(theirs)]
    assert len(same) >= 31
    for mine, theirs in same:
        assert mine["recommendations"] == theirs["recommendations"], theirs["id"]
    # Where the shipped plan corrects the printed text, init reads what was printed, verbatim:
    by_id = {a["id"]: a for a in made["actions"]}
    assert by_id[3]["recommendations"] == ["SSVVP-8"]
    assert by_id[12]["recommendations"] == ["JSNA-1.2", "JSNA-1", "JSNA-12"]
    assert "LVRU-ProtEdu-1" in by_id[24]["recommendations"]


def test_init_proposes_the_shipped_directorys_groups(rebuilt: tuple[dict[str, Any], str]) -> None:
    made, stderr = rebuilt
    expected = groups(shipped()) - {frozenset({"Southwark CRC"}), frozenset({"NPS"})} | {frozenset({JOINED})}
    assert groups(made) == expected
    community_safety = next(o for o in made["organisations"] if o["name"] == "LBS Community Safety & Partnerships")
    assert all("please confirm" in note["note"] for note in community_safety["source_notes"])
    assert f"lead {JOINED!r} may name two partners" in stderr


def test_the_second_32_becomes_34_with_a_source_note(rebuilt: tuple[dict[str, Any], str]) -> None:
    made, stderr = rebuilt
    action = next(a for a in made["actions"] if a["id"] == 34)
    assert action["source_notes"][0] | {"note": ""} == {"field": "id", "printed": "32", "corrected": "34", "note": ""}
    assert "action number 32 printed twice; numbered 34" in stderr
    assert "columns: theme=A ('Theme'), id=B ('Action No'), action=C ('Action')" in stderr


def test_the_plan_made_validates_and_warns_until_groupings_are_confirmed(tmp_path: Path, cli: RunCli) -> None:
    out = tmp_path / "plan.yaml"
    init(cli, write_docx(tmp_path / "paper.docx"), out)
    result = cli("validate", out)
    assert result.code == 0, result.stderr
    assert result.stdout.count("[unconfirmed-guess]") == 7
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    for organisation in data["organisations"]:
        for note in organisation.get("source_notes", []):
            note["confirmed"] = True
    out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    again = cli("validate", out)
    assert again.code == 0, again.stderr
    assert "[unconfirmed-guess]" not in again.stdout
    assert again.stdout.count("warning") == result.stdout.count("warning") - 7


def test_register_stubs_list_the_ids_cited(tmp_path: Path, cli: RunCli) -> None:
    out = tmp_path / "plan.yaml"
    init(cli, write_xlsx(tmp_path / "paper.xlsx"), out)
    stub = yaml.safe_load((tmp_path / "plan.SELR.register-stub.yaml").read_text(encoding="utf-8"))
    assert stub["source"] == "SELR"
    assert stub["cited"][:4] == ["SELR-1", "SELR-3", "SELR-4", "SELR-2"]


def test_init_never_overwrites_without_force(tmp_path: Path, cli: RunCli) -> None:
    table, out = write_xlsx(tmp_path / "paper.xlsx"), tmp_path / "plan.yaml"
    out.write_text("mine\n")
    result = cli("init", "--from", table, "--title", "T", "--period", PERIOD, "--out", out)
    assert result.code == 2
    assert "nothing is overwritten without --force" in result.stderr
    assert out.read_text() == "mine\n"
    assert not (tmp_path / "plan.SELR.register-stub.yaml").exists()
    init(cli, table, out, "--force")
    assert out.read_text().startswith("# Made by `cheplan init`")


def test_a_dry_run_says_what_it_would_write_and_writes_nothing(tmp_path: Path, cli: RunCli) -> None:
    table, out = write_xlsx(tmp_path / "paper.xlsx"), tmp_path / "plan.yaml"
    result = cli("init", "--from", table, "--title", "T", "--period", PERIOD, "--out", out, "--dry-run")
    assert result.code == 0, result.stderr
    assert "would write (a dry run: nothing written)" in result.stderr
    assert "38 actions, 14 organisations, 5 register stubs" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.xlsx"]
