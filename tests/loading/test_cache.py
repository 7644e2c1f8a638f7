"""The validation cache: a hit skips pydantic and gives the same plan; any change misses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cheplan.loading import cache
from cheplan.loading.load import load_plan
from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER, MakePlan, RunCli, base_action


def entries(directory: Path) -> list[Path]:
    """The cache entries (both pools), not the key or temporary files."""
    return sorted(p for p in directory.iterdir() if p.name.startswith(("r-", "v-")))


def test_disabled_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHEPLAN_NO_CACHE", "1")
    assert cache.cache_dir() is None
    assert cache.load_valid("anything") is None


def test_valid_content_is_remembered_and_reloads_identically(cache_dir: Path) -> None:
    first = load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER], cache=True)
    assert len(entries(cache_dir)) == 1
    second = load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER], cache=True)
    assert second.plan == first.plan
    assert second.registers == first.registers


def test_invalid_content_is_never_remembered(cache_dir: Path, make_plan: MakePlan) -> None:
    from cheplan.domain.errors import InvalidPlanError

    plan = make_plan([base_action(1, end="2020-13")])
    with pytest.raises(InvalidPlanError):
        load_plan(plan, [SHIPPED_REGISTER], cache=True)
    assert not cache_dir.exists() or not entries(cache_dir)


def test_key_changes_with_any_input_byte() -> None:
    assert cache.content_key(["a", "b"]) != cache.content_key(["a", "c"])
    assert cache.content_key(["ab", ""]) != cache.content_key(["a", "b"])


def test_unwritable_cache_only_costs_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.delenv("CHEPLAN_NO_CACHE")
    monkeypatch.setenv("CHEPLAN_CACHE_DIR", str(blocker / "sub"))
    assert load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER], cache=True).plan.actions


def test_a_cache_hit_does_not_import_pydantic(cache_dir: Path) -> None:
    load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER], cache=True)  # fills the cache
    code = (
        "import sys; from pathlib import Path; from cheplan.loading.load import load_plan;"
        f"load_plan(Path({str(SHIPPED_PLAN)!r}), [Path({str(SHIPPED_REGISTER)!r})], cache=True);"
        "print('pydantic' in sys.modules)"
    )
    env = {"CHEPLAN_CACHE_DIR": str(cache_dir), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "False"


def test_a_damaged_entry_is_never_trusted(cache_dir: Path) -> None:
    first = load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER], cache=True)
    [entry] = entries(cache_dir)
    raw = entry.read_bytes()
    # Still valid JSON, but not what was written: the digest must catch it.
    entry.write_bytes(raw.replace(b"Police Activity Tracker", b"Police Activity Trackex"))
    again = load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER], cache=True)
    assert again.plan == first.plan
    assert b"Trackex" not in entry.read_bytes()  # validated again and rewritten


def test_update_leaves_the_cache_warm(cache_dir: Path, tmp_path: Path, cli: RunCli) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(SHIPPED_PLAN.read_bytes())
    result = cli("update", "5", "--status", "in_progress", "--note", "Started.", "--date", "2020-06-01", "--plan", plan)
    assert result.code == 0
    from cheplan.loading.cache import content_key, load_valid

    key = content_key([plan.read_text(encoding="utf-8"), SHIPPED_REGISTER.read_text(encoding="utf-8")])
    assert load_valid(key) is not None


def test_an_entry_moved_to_another_key_is_not_trusted(cache_dir: Path, make_plan: MakePlan) -> None:
    one = make_plan([base_action(1)])
    other = make_plan([base_action(2)])
    load_plan(one, [], cache=True)
    [entry] = entries(cache_dir)
    other_key = cache.content_key([other.read_text(encoding="utf-8")])
    (cache_dir / f"r-{other_key}").write_bytes(entry.read_bytes())
    assert [a.id for a in load_plan(other, [], cache=True).plan.actions] == [2]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=7) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=40,
)


@given(st.lists(json_values, max_size=3))
def test_an_entry_encoded_in_pieces_is_the_one_string_byte_for_byte(documents: list[Any]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "_ITEMS_PER_PIECE", 2)  # long lists in slices of two
        pieces = cache._json_pieces(documents, 0)
    assert "".join(pieces) == json.dumps(documents, ensure_ascii=False, separators=(",", ":"))


def test_a_large_entry_written_in_pieces_reloads(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_ITEMS_PER_PIECE", 5)  # the shipped plan's 38 actions in slices
    first = load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER], cache=True)
    [entry] = entries(cache_dir)
    assert load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER], cache=True).plan == first.plan
    tag, _, payload = entry.read_bytes().partition(b"\n")
    assert json.loads(payload)[0]["actions"][37]["id"] == first.plan.actions[37].id
    assert len(tag) == 64
