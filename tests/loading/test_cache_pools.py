"""What the validation cache keeps: the everyday plan survives a big `validate`, entries are
kept by last use, interrupted writes are cleaned up, and library upgrades miss."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cheplan.loading import cache
from cheplan.loading.load import load_plan, validate_paths
from tests.conftest import MakePlan, base_action


@pytest.fixture
def cache_dir(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared private cache, holding at most three plans per pool."""
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    return cache_dir


def key_of(plan: Path) -> str:
    return cache.content_key([plan.read_text(encoding="utf-8")])


def names(directory: Path, prefix: str) -> set[str]:
    return {p.name[len(prefix) :] for p in directory.iterdir() if p.name.startswith(prefix)}


def test_a_big_validate_run_does_not_evict_the_everyday_plan(cache_dir: Path, make_plan: MakePlan) -> None:
    everyday = make_plan([base_action(1)])
    load_plan(everyday, [], cache=True)  # `cheplan overdue` on the officer's plan
    for number in range(2, 12):  # pre-commit: `cheplan validate` on many files
        assert validate_paths(make_plan([base_action(number)]), [], cache=True).ok
    assert names(cache_dir, "r-") == {key_of(everyday)}
    assert len(names(cache_dir, "v-")) == 3
    assert cache.load_valid(key_of(everyday)) is not None


def test_a_read_promotes_a_validated_entry_to_the_read_pool(cache_dir: Path, make_plan: MakePlan) -> None:
    plan = make_plan()
    validate_paths(plan, [], cache=True)
    assert names(cache_dir, "v-") == {key_of(plan)}
    load_plan(plan, [], cache=True)
    assert (names(cache_dir, "v-"), names(cache_dir, "r-")) == (set(), {key_of(plan)})
    validate_paths(plan, [], cache=True)  # already kept for reads: not stored twice
    assert names(cache_dir, "v-") == set()


def test_entries_are_kept_by_last_use(cache_dir: Path, make_plan: MakePlan) -> None:
    plans = [make_plan([base_action(n)]) for n in range(1, 5)]
    for age, plan in zip((4000, 3000, 2000), plans[:3], strict=True):
        load_plan(plan, [], cache=True)
        os.utime(cache_dir / f"r-{key_of(plan)}", (time.time() - age, time.time() - age))
    load_plan(plans[0], [], cache=True)  # the oldest entry, used again
    load_plan(plans[3], [], cache=True)  # a new entry: the least recently used one goes
    assert names(cache_dir, "r-") == {key_of(plans[0]), key_of(plans[2]), key_of(plans[3])}


def test_stale_temporary_files_are_removed(cache_dir: Path, make_plan: MakePlan) -> None:
    load_plan(make_plan([base_action(1)]), [], cache=True)
    stale, fresh = cache_dir / ".tmp-k3j_a9x2", cache_dir / ".tmp-0b7q_zzz"  # tempfile.mkstemp names
    stale.write_bytes(b"half an entry")
    fresh.write_bytes(b"a write under way")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    load_plan(make_plan([base_action(2)]), [], cache=True)
    assert not stale.exists()
    assert fresh.exists()


def test_library_versions_come_from_dist_info_without_importing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for package in ("yaml", "pydantic", "pydantic_core"):
        (site / package).mkdir(parents=True)
    for dist in ("PyYAML-6.0.4.dist-info", "pydantic-2.14.4.dist-info", "pydantic_core-2.50.5.dist-info"):
        (site / dist).mkdir()
    (site / "pydantic_settings-2.0.dist-info").mkdir()  # another package: not pydantic's version
    assert cache.library_versions([str(site)]) == [
        "PyYAML-6.0.4.dist-info",
        "pydantic-2.14.4.dist-info",
        "pydantic_core-2.50.5.dist-info",
    ]


def test_the_installed_versions_are_found() -> None:
    import pydantic
    import pydantic_core
    import yaml

    found = cache.library_versions()
    for name, version in zip(found, (yaml.__version__, pydantic.VERSION, pydantic_core.__version__), strict=True):
        assert f"-{version}.dist-info" in name


def test_another_library_version_misses_the_cache(
    cache_dir: Path, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_plan()
    load_plan(plan, [], cache=True)
    assert cache.load_valid(key_of(plan)) is not None
    found = cache.library_versions()
    upgraded = [found[0].replace("6.0.4", "6.0.5") + "+another", *found[1:]]
    monkeypatch.setattr(cache, "library_versions", lambda: upgraded)
    cache._code_fingerprint.cache_clear()  # a new run: the fingerprint is computed once per run
    assert cache.load_valid(key_of(plan)) is None
    cache._code_fingerprint.cache_clear()


def test_pruning_removes_only_names_cheplan_gives(tmp_path: Path) -> None:
    """CHEPLAN_CACHE_DIR may point at a folder with the user's own files: they are never removed."""
    from cheplan.domain.filesystem.private import prune

    ours = [tmp_path / f"r-{n:064x}" for n in range(5)]
    theirs = [tmp_path / name for name in ("r-notes.txt", "r-" + "a" * 63, "t-1.txt", ".tmp-report.html")]
    for age, path in enumerate([*ours, *theirs]):
        path.write_text("x", encoding="utf-8")
        os.utime(path, (1_000 + age, 1_000 + age))  # all older than an hour, ours oldest first
    stale_temp = tmp_path / ".tmp-abcd_123"
    stale_temp.write_text("x", encoding="utf-8")
    os.utime(stale_temp, (1_000, 1_000))
    prune(tmp_path, "r-", keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in [*ours[3:], *theirs])


def test_the_cache_sweeps_temporary_files_of_the_shared_scheme_once_an_hour_old(tmp_path: Path) -> None:
    """The cache writes without a lock, so a young temporary file may be another run's, under way."""
    from cheplan.domain.filesystem.private import prune
    from cheplan.domain.filesystem.temporary import temp_name

    old, young = tmp_path / temp_name(tmp_path / f"r-{0:064x}"), tmp_path / temp_name(tmp_path / "key")
    for path in (old, young):
        path.write_text("x", encoding="utf-8")
    os.utime(old, (1_000, 1_000))
    prune(tmp_path, "r-", keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [young.name]
