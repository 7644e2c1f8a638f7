"""`cheplan rollover` near the read caps: a new plan no command could read is refused from a
count of its data, before it is written out; and each plan is validated once, not once per step."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from cheplan.domain import caps
from cheplan.domain.errors import WriteRefusedError
from cheplan.editing import closing
from cheplan.editing.record import text_sha256
from cheplan.loading import load, yaml_builder
from cheplan.loading.load import Source, validate_sources
from cheplan.outputs import plan_yaml
from cheplan.outputs.plan_yaml import written_size
from cheplan.questions.rollover import roll_over
from tests.conftest import SHIPPED_PLAN, RunCli, count_calls

ARGS = ("--to", "2021/22", "--period", "2021-04..2022-03", "--as-of", "2021-03-31")


def _copy(tmp_path: Path) -> Path:
    old = tmp_path / "plan.yaml"
    shutil.copyfile(SHIPPED_PLAN, old)
    return old


def _new_plan_values(old: Path) -> int:
    validation = validate_sources(Source.read(old), [])
    assert validation.plan is not None
    made = roll_over(
        validation.documents[0], validation.plan, to="2021/22", period=("2021-04", "2022-03"),
        as_of=date(2021, 3, 31), title=None,
    )  # fmt: skip
    return written_size(made.data).values


def test_a_new_plan_over_the_cap_of_values_is_refused_before_it_is_written_out(
    tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _copy(tmp_path)
    before = old.read_bytes()
    values = _new_plan_values(old)
    # The old plan (fewer values: no `carried_from`) is still read; the new one would not be.
    monkeypatch.setattr(caps, "MAX_NODES", values - 1)
    dumps = count_calls(monkeypatch, plan_yaml, "plan_text")
    result = cli("rollover", "--plan", old, *ARGS, "--out", tmp_path / "next.yaml")
    assert result.code == 2, result.stderr
    assert f"{values:,} values" in result.stderr
    assert f"over the cap of {values - 1:,}" in result.stderr
    assert "split" in result.stderr  # and what to do instead
    assert len(result.stderr.strip().splitlines()) == 1
    assert dumps == []  # refused from the count: the text was never made
    assert not (tmp_path / "next.yaml").exists()
    assert old.read_bytes() == before


def test_a_new_plan_at_the_cap_of_values_is_written(
    tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count is the reader's: at exactly the cap, the plan is written and read back."""
    old = _copy(tmp_path)
    values = _new_plan_values(old)
    monkeypatch.setattr(caps, "MAX_NODES", values)
    monkeypatch.setattr(yaml_builder, "MAX_NODES", values)
    result = cli("rollover", "--plan", old, *ARGS, "--out", tmp_path / "next.yaml")
    assert result.code == 0, result.stderr
    assert cli("validate", "--plan", tmp_path / "next.yaml").code == 0


def test_a_new_plan_over_the_byte_cap_is_refused(tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _copy(tmp_path)
    before = old.read_bytes()
    monkeypatch.setattr(caps, "MAX_FILE_BYTES", len(before))  # the old plan is read; the new one is bigger
    result = cli("rollover", "--plan", old, *ARGS, "--out", tmp_path / "next.yaml")
    assert result.code == 2, result.stderr
    assert f"over the cap of {len(before):,}" in result.stderr
    assert not (tmp_path / "next.yaml").exists()
    assert old.read_bytes() == before


def test_each_plan_is_validated_once(tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old plan once (as it will be closed), the new one once: closing it does not validate
    again a text already validated, nor does a second read for the parsed data."""
    old = _copy(tmp_path)
    validations = count_calls(monkeypatch, load, "validate_sources")
    result = cli("rollover", "--plan", old, *ARGS, "--out", tmp_path / "next.yaml")
    assert result.code == 0, result.stderr
    assert len(validations) == 2
    assert cli("validate", "--plan", old).code == 0  # the closed plan is valid as written


def test_closing_validates_again_when_the_plan_changed_meanwhile(tmp_path: Path) -> None:
    old = _copy(tmp_path)
    checked = text_sha256(old.read_text(encoding="utf-8"))
    with old.open("a", encoding="utf-8") as plan:
        plan.write("themes: []\n")  # a second `themes:`: the plan as it now stands is not valid
    block = 'closed:\n  date: "2021-03-31"\n  carried: [2]\n  by_plan: "2021/22"\n'
    before = old.read_bytes()
    with pytest.raises(WriteRefusedError):
        closing.close_plan(old, "plan.yaml", block, checked=checked)
    assert old.read_bytes() == before
