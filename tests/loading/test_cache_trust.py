"""The validation cache trusts only what this user wrote with this user's key.

Its data is used without validating again, so a forged, planted or oversized entry must be a
cache miss, never a wrong answer, a hang or a crash.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cheplan.domain.filesystem import private, reading
from cheplan.loading import cache
from cheplan.loading.load import load_plan
from tests.conftest import SHIPPED_REGISTER, MakePlan, RunCli, base_action, plan_data

AS_OF = "2021-04-01"


def entry_path(directory: Path, plan: Path, registers: list[Path], pool: str = "r") -> Path:
    texts = [plan.read_text(encoding="utf-8"), *(r.read_text(encoding="utf-8") for r in registers)]
    return directory / f"{pool}-{cache.content_key(texts)}"


def entry_bytes(key: str, documents: list[Any], secret: bytes) -> bytes:
    import json

    payload = json.dumps(documents).encode()
    return cache._mac(secret, key, payload) + b"\n" + payload


def unkeyed_entry(key: str, documents: list[Any]) -> bytes:
    """An entry in the old format: an unkeyed hash anyone can compute."""
    import hashlib
    import json

    payload = json.dumps(documents).encode()
    return hashlib.blake2b(key.encode() + payload, digest_size=32).hexdigest().encode() + b"\n" + payload


@pytest.fixture
def invalid_overdue_plan(make_plan: MakePlan) -> Path:
    # Overdue on AS_OF, and invalid: it cites a source the plan's key does not list.
    return make_plan([base_action(1, end="2020-06", recommendations=["NOPE-1"])])


def forged_documents() -> list[Any]:
    """What a forger wants cheplan to believe: a valid plan with nothing overdue."""
    return [plan_data([base_action(1, end="2099-03")]), yaml.safe_load(SHIPPED_REGISTER.read_text(encoding="utf-8"))]


def overdue_gate(cli: RunCli, plan: Path) -> int:
    return cli("overdue", "--as-of", AS_OF, "--fail-if-any", "--plan", plan, "--register", SHIPPED_REGISTER).code


def plant(cache_dir: Path, invalid_overdue_plan: Path, content: bytes) -> None:
    load_plan_entry = entry_path(cache_dir, invalid_overdue_plan, [SHIPPED_REGISTER])
    load_plan_entry.write_bytes(content)


def test_a_forged_entry_cannot_turn_an_invalid_plan_green(
    cache_dir: Path, invalid_overdue_plan: Path, cli: RunCli, make_plan: MakePlan
) -> None:
    # A valid plan first, so the directory and this user's key exist.
    assert cli("validate", make_plan(), "--register", SHIPPED_REGISTER).code == 0
    path = entry_path(cache_dir, invalid_overdue_plan, [SHIPPED_REGISTER])
    key = path.name[2:]
    for forged in (unkeyed_entry(key, forged_documents()), entry_bytes(key, forged_documents(), b"k" * 32)):
        path.write_bytes(forged)
        assert overdue_gate(cli, invalid_overdue_plan) == 1
    # The control: with the user's own key the entry is believed, so the test above reached
    # the cache and it was the key that stopped the forgery.
    path.write_bytes(entry_bytes(key, forged_documents(), (cache_dir / "key").read_bytes()))
    assert overdue_gate(cli, invalid_overdue_plan) == 0


def test_a_directory_others_can_write_is_never_used(
    cache_dir: Path, invalid_overdue_plan: Path, cli: RunCli, make_plan: MakePlan
) -> None:
    assert cli("validate", make_plan(), "--register", SHIPPED_REGISTER).code == 0
    path = entry_path(cache_dir, invalid_overdue_plan, [SHIPPED_REGISTER])
    path.write_bytes(entry_bytes(path.name[2:], forged_documents(), (cache_dir / "key").read_bytes()))
    cache_dir.chmod(0o777)  # a shared CHEPLAN_CACHE_DIR: anyone could have written the key too
    assert overdue_gate(cli, invalid_overdue_plan) == 1


def test_the_directory_is_0700_and_the_key_0600(cache_dir: Path, make_plan: MakePlan) -> None:
    os.umask(old := os.umask(0))  # read the umask without changing it
    try:
        os.umask(0o022)
        load_plan(make_plan(), [], cache=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    key = cache_dir / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) == 32


@pytest.mark.parametrize("mode", [0o644, 0o640])
def test_a_key_others_can_read_is_not_used(cache_dir: Path, make_plan: MakePlan, mode: int) -> None:
    plan = make_plan()
    load_plan(plan, [], cache=True)
    (cache_dir / "key").chmod(mode)
    assert cache.load_valid(entry_path(cache_dir, plan, []).name[2:]) is None


def test_a_key_that_is_a_link_is_not_used(cache_dir: Path, make_plan: MakePlan, tmp_path: Path) -> None:
    plan = make_plan()
    load_plan(plan, [], cache=True)
    key = cache_dir / "key"
    moved = tmp_path / "elsewhere"
    key.rename(moved)
    key.symlink_to(moved)
    assert cache.load_valid(entry_path(cache_dir, plan, []).name[2:]) is None


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))


def run_overdue(plan: Path, cache_dir: Path) -> subprocess.CompletedProcess[str]:
    """A separate process with a timeout and 1 GiB of address space: a hang or reading a
    planted file whole must fail the test, not stop the suite or fill the machine."""
    env = {**os.environ, "CHEPLAN_CACHE_DIR": str(cache_dir)}
    env.pop("CHEPLAN_NO_CACHE", None)
    command = [sys.executable, "-m", "cheplan", "overdue", "--as-of", AS_OF, "-f", "json", "--plan", str(plan)]
    return subprocess.run(
        [*command, "--register", str(SHIPPED_REGISTER)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
    )


@pytest.mark.parametrize("planted", ["fifo", "dev-zero-link", "directory", "sparse-3gb"])
def test_a_planted_entry_is_a_miss_not_a_hang(cache_dir: Path, make_plan: MakePlan, planted: str) -> None:
    plan = make_plan()
    load_plan(plan, [SHIPPED_REGISTER], cache=True)  # the directory and key exist
    path = entry_path(cache_dir, plan, [SHIPPED_REGISTER])
    path.unlink()
    if planted == "fifo":
        os.mkfifo(path)
    elif planted == "dev-zero-link":
        path.symlink_to("/dev/zero")
    elif planted == "directory":
        path.mkdir()
    else:
        with path.open("wb") as sparse:
            sparse.truncate(3 * 1024**3)
    done = run_overdue(plan, cache_dir)
    assert (done.returncode, done.stderr) == (0, "")
    assert '"id": 1' in done.stdout


def test_the_size_cap_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big"
    with big.open("wb") as sparse:
        sparse.truncate(10_000)
    small = tmp_path / "small"
    small.write_bytes(b"x" * 100)

    def no_reading(fd: int, n: int) -> bytes:
        raise AssertionError("read an oversized file")

    assert reading.read_own(small, 100) == b"x" * 100
    monkeypatch.setattr(os, "read", no_reading)
    assert reading.read_own(big, 9_999) is None


def test_an_entry_owned_by_someone_else_is_not_trusted(
    cache_dir: Path, make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_plan()
    load_plan(plan, [], cache=True)
    entry = entry_path(cache_dir, plan, [])
    key = entry.name[2:]
    assert cache.load_valid(key) is not None
    if os.getuid() == 0:
        os.chown(entry, 12345, 12345)
    else:  # pretend to be another user who can use the directory and key
        monkeypatch.setattr(cache, "usable_directory", lambda *_a, **_k: True)
        monkeypatch.setattr(cache, "secret_key", lambda *_a, **_k: (cache_dir / "key").read_bytes())
        monkeypatch.setattr(os, "getuid", lambda: os.geteuid() + 1)
    assert cache.load_valid(key) is None


def test_the_key_is_on_disk_before_it_is_linked_into_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a power cut an empty key would leave the cache unused for good: it is synced first."""
    events: list[str] = []
    real_fsync, real_link = os.fsync, os.link

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def link(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        events.append("link")
        real_link(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "link", link)
    key = private.secret_key(tmp_path, create=True)
    assert key is not None
    assert len(key) == private.KEY_BYTES
    assert events == ["fsync", "link"]
