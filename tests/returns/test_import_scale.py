"""How much whole-plan work one `returns import` does, counted (never timed): a first run's dry
run validates the plan once, --apply twice (the check, and the write's validation of the plan
with the entries), and entries that would take the plan past the cap of values are refused
before the write's validation, with the cap named."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cheplan.domain.errors import UsageError
from cheplan.editing import plan_size, record
from cheplan.loading import load, yaml_builder
from tests.conftest import MakePlan, RunCli, base_action

ACTIONS = 30
AS_OF = "2020-12-15"


def _whole_plan_validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts validations of a text holding all the plan's actions."""
    counted: list[int] = []
    real = load.validate_sources

    def counting(*args: Any, **kwargs: Any) -> Any:
        validation = real(*args, **kwargs)
        # A text that failed (past the cap) counts too: it was read whole.
        if validation.plan is None or len(validation.plan.actions) == ACTIONS:
            counted.append(1)
        return validation

    for module in (load, record):  # each holds its own name for the function
        monkeypatch.setattr(module, "validate_sources", counting)
    return counted


def _filled_return(cli: RunCli, make_plan: MakePlan, tmp_path: Path, rows: int) -> tuple[Path, Path]:
    """A plan and its one organisation's export with `rows` rows filled in (status, date, note)."""
    import openpyxl

    plan = make_plan([base_action(n, lead=["MPS Southwark"]) for n in range(1, ACTIONS + 1)])
    out = tmp_path / "out"
    assert cli("returns", "export", "--out", out, "--plan", plan, "--as-of", AS_OF).code == 0
    (exported,) = sorted(out.glob("*.xlsx"))
    book = openpyxl.load_workbook(exported)
    sheet = book["Return"]
    typed: list[str | date] = ["in progress", date(2020, 12, 10), "Work continues."]
    for row in range(4, 4 + rows):
        for offset, value in enumerate(typed):
            sheet.cell(row=row, column=8 + offset, value=value)
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    return plan, filled


def _first_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str = "empty-cache") -> None:
    """An empty validation cache: the export filled the other one with the plan."""
    monkeypatch.setenv("CHEPLAN_CACHE_DIR", str(tmp_path / name))


def _values_in(plan: Path) -> int:
    return yaml_builder.build(plan.read_text(encoding="utf-8"), plan.name, None)[3]


@pytest.mark.usefixtures("cache_dir")
def test_a_first_run_dry_run_validates_the_plan_once(
    cli: RunCli, make_plan: MakePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, filled = _filled_return(cli, make_plan, tmp_path, rows=20)
    _first_run(monkeypatch, tmp_path)
    validations = _whole_plan_validations(monkeypatch)
    result = cli("returns", "import", filled, "--plan", plan, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert len(validations) == 1


@pytest.mark.usefixtures("cache_dir")
def test_a_first_run_apply_validates_the_plan_twice_and_no_more(
    cli: RunCli, make_plan: MakePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check of the rows (the plan as it stands) and the write's (the plan with the entries)."""
    plan, filled = _filled_return(cli, make_plan, tmp_path, rows=20)
    _first_run(monkeypatch, tmp_path)
    validations = _whole_plan_validations(monkeypatch)
    result = cli("returns", "import", filled, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert result.code == 0, result.stderr
    assert len(validations) == 2
    assert plan.read_text(encoding="utf-8").count("Work continues.") == 20


def _cap_at(monkeypatch: pytest.MonkeyPatch, cap: int) -> None:
    monkeypatch.setattr(yaml_builder, "MAX_NODES", cap)
    monkeypatch.setattr(plan_size, "MAX_NODES", cap)


@pytest.mark.usefixtures("cache_dir")
def test_entries_past_the_cap_of_values_are_refused_before_the_writes_validation(
    cli: RunCli, make_plan: MakePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, filled = _filled_return(cli, make_plan, tmp_path, rows=20)
    before = plan.read_bytes()
    _cap_at(monkeypatch, _values_in(plan) + 10)  # room for one entry, not twenty
    _first_run(monkeypatch, tmp_path)
    validations = _whole_plan_validations(monkeypatch)
    result = cli("returns", "import", filled, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert result.code == 2, result.stderr
    assert f"over the cap of {_values_in(plan) + 10:,} a plan is read under" in result.stderr
    assert "split the plan" in result.stderr
    assert len(validations) == 1  # the check's: the count refused it, not a second pass
    assert plan.read_bytes() == before


@pytest.mark.usefixtures("cache_dir")
def test_entries_within_the_cap_of_values_are_written(
    cli: RunCli, make_plan: MakePlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count is exact: a cap the entries reach, and do not pass, lets them be written."""
    plan, filled = _filled_return(cli, make_plan, tmp_path, rows=2)
    probe = tmp_path / "probe.yaml"
    probe.write_bytes(plan.read_bytes())
    assert cli("returns", "import", filled, "--plan", probe, "--as-of", AS_OF, "--apply").code == 0
    _cap_at(monkeypatch, _values_in(probe))  # exactly what the plan with the entries holds
    _first_run(monkeypatch, tmp_path)  # the count is made: the plan is validated now, not read from the cache
    result = cli("returns", "import", filled, "--plan", plan, "--as-of", AS_OF, "--apply")
    assert result.code == 0, result.stderr
    assert plan.read_bytes() == probe.read_bytes()


def test_a_write_the_count_missed_is_still_refused_at_the_cap_without_another_validation(
    make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The validation is the guarantee: a count too low is caught by it, and refused as the cap
    (the plan as it stands was valid when counted, so it is not validated again)."""
    from cheplan.domain.model import ProgressEntry

    plan = make_plan([base_action(n) for n in range(1, ACTIONS + 1)])
    before = plan.read_bytes()
    values = _values_in(plan)
    _cap_at(monkeypatch, values + 5)
    validations = _whole_plan_validations(monkeypatch)
    entries = [(n, ProgressEntry(date="2020-12-01", status="in_progress", note="Begun.")) for n in (1, 2, 3)]
    with pytest.raises(UsageError, match="over the cap of"):
        record.record_progress(
            plan,
            entries,
            registers=[],
            today=date(2020, 12, 15),
            expected_sha256=record.text_sha256(before.decode("utf-8")),
            known_values=1,  # wrong on purpose: the count lets it through
        )
    assert len(validations) == 1  # the write's, stopped at the cap; not the plan as it stands again
    assert plan.read_bytes() == before


@pytest.mark.usefixtures("cache_dir")
@pytest.mark.parametrize(("read_alone", "validations"), [(True, 2), (False, 3)])
def test_a_rounds_return_is_validated_with_the_entries(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_alone: bool, validations: int
) -> None:
    """A workbook sent for a round also records the round's returns: made in the same edit as the
    entries, from the rounds read in the plan around the actions, and validated with them once;
    when that plan cannot be read alone, after the entries' validation, as a second edit."""
    import yaml

    from tests.returns.round_plan import plan_with_contacts
    from tests.returns.test_import_one_write import _returned_workbook

    if not read_alone:
        monkeypatch.setattr(record, "rounds_beside_entries", lambda *_: None)
    plan = plan_with_contacts(tmp_path)
    actions = len(yaml.safe_load(plan.read_text(encoding="utf-8"))["actions"])
    workbook = _returned_workbook(cli, plan, tmp_path / "out")
    _first_run(monkeypatch, tmp_path)
    counted: list[int] = []
    real = load.validate_sources

    def counting(*args: Any, **kwargs: Any) -> Any:
        validation = real(*args, **kwargs)
        if validation.plan is not None and len(validation.plan.actions) == actions:
            counted.append(1)
        return validation

    for module in (load, record):
        monkeypatch.setattr(module, "validate_sources", counting)
    result = cli("returns", "import", "--plan", plan, "--as-of", "2020-10-05", "--apply", workbook)
    assert result.code == 0, result.stderr
    assert len(counted) == validations  # the check, and the write's (or the entries', then the round's)
    rounds = yaml.safe_load(plan.read_text(encoding="utf-8"))["rounds"]
    assert rounds[0]["returned"] == [{"organisation": "nps", "date": "2020-10-05"}]
    assert "Begun" in plan.read_text(encoding="utf-8")
