"""`returns export` is all or nothing: a refusal halfway leaves the folder as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cheplan.domain.filesystem import out_files, writing
from tests.conftest import SHIPPED_PLAN, RunCli

EARLIER, LATER = "2020-10-01", "2020-12-15"


def export(cli: RunCli, out: Path, as_of: str) -> tuple[int, str]:
    result = cli("returns", "export", "--out", out, "--plan", SHIPPED_PLAN, "--as-of", as_of)
    return result.code, result.stderr


def contents(folder: Path) -> dict[str, bytes]:
    """Every entry, hidden ones included (a staging folder left behind would show)."""
    return {p.name: p.read_bytes() if p.is_file() else b"<folder>" for p in folder.iterdir()}


@pytest.fixture
def earlier(cli: RunCli, tmp_path: Path) -> Path:
    """A folder holding last round's workbooks, as the coordinator's shared folder does."""
    out = tmp_path / "exports"
    assert export(cli, out, EARLIER)[0] == 0
    assert len(list(out.glob("*.xlsx"))) > 3
    return out


@pytest.mark.parametrize("failing", [1, 3])
def test_a_write_failing_on_the_nth_workbook_leaves_no_partial_set(
    cli: RunCli, earlier: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    before = contents(earlier)
    calls = []
    real = writing.write_new

    def full_disk_on_the_nth(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == failing:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(out_files, "write_new", full_disk_on_the_nth)
    code, stderr = export(cli, earlier, LATER)
    assert code == 2
    assert "(No space left on device); nothing was written" in stderr
    assert len(calls) == failing
    assert contents(earlier) == before


def test_a_workbook_that_cannot_be_replaced_leaves_every_other_one_as_it_was(cli: RunCli, earlier: Path) -> None:
    third = sorted(earlier.glob("*.xlsx"))[2]
    third.chmod(0o444)
    before = contents(earlier)
    code, stderr = export(cli, earlier, LATER)
    assert code == 2
    assert f"{third.name} is read-only" in stderr
    assert contents(earlier) == before


def test_a_whole_set_replaces_the_earlier_one_and_leaves_nothing_else(cli: RunCli, earlier: Path) -> None:
    before = contents(earlier)
    assert export(cli, earlier, LATER)[0] == 0
    after = contents(earlier)
    assert set(after) == set(before)  # the same organisations, no staging folder left
    assert after != before
    assert all(not name.startswith(".") for name in os.listdir(earlier))


def test_a_set_a_killed_run_left_staged_is_swept_once_an_hour_old(cli: RunCli, earlier: Path) -> None:
    from cheplan.domain.filesystem.temporary import temp_name

    old, young = earlier / temp_name(earlier), earlier / temp_name(earlier)
    for folder in (old, young):
        folder.mkdir()
        (folder / "returns-mps-southwark.xlsx").write_bytes(b"half a workbook")
    os.utime(old, (1_000, 1_000))
    assert export(cli, earlier, LATER)[0] == 0
    assert not old.exists()
    assert (young / "returns-mps-southwark.xlsx").exists()  # perhaps another run's, under way
