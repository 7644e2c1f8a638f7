"""How many times `returns send` validates the whole plan per message: counted, not timed.

Each message is recorded in its own locked, validated write. Validating a 10,000-action plan
takes seconds, so a run validates the whole plan only to start the round: the lock's claim
takes the text the last record wrote as validated then, the record reuses the claim's
validation of the same text (under the same lock) and validates its edit of the rounds block
alone (editing.round_validation).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import RunCli, count_calls
from tests.returns.round_plan import plan_with_contacts
from tests.returns.smtp_server import smtp_server
from tests.returns.test_send import FROM, ROUND, rounds_of, use


@pytest.fixture(autouse=True)
def _mail_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("CHEPLAN_SMTP_", "CHEPLAN_MAIL_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("CHEPLAN_MAIL_FROM", FROM)


def _send_counting(cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """Send the round to every organisation: (messages recorded, whole-plan validations while sending)."""
    from cheplan.editing import rounds

    plan = plan_with_contacts(tmp_path)
    validations = count_calls(monkeypatch, rounds, "validate_sources")
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        result = cli("returns", "send", "--plan", plan, *ROUND)
        assert len(server.handler.received) == 15
    assert result.code == 0, result.stderr
    return len(rounds_of(plan)[0]["messages"]), len(validations)


def test_with_the_cache_only_the_rounds_start_validates_the_plan(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    """The plan as loaded is in the cache; the round's start (a new `rounds:` block at the end)
    and each message's record are validated by their block alone, yet each is validated."""
    from cheplan.editing import rounds

    incremental = count_calls(monkeypatch, rounds, "revalidated")
    messages, validations = _send_counting(cli, tmp_path, monkeypatch)
    assert messages == 15
    assert validations == 0
    assert len(incremental) == 1 + 15


def test_without_the_cache_only_the_round_start_validates_the_plan(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan as it stands, once; what this process wrote last needs no cache: each claim
    takes it as validated then."""
    messages, validations = _send_counting(cli, tmp_path, monkeypatch)
    assert messages == 15
    assert validations == 1


def test_the_plan_as_the_send_left_it_is_in_the_cache(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    """Only the last text a run writes is put in the cache, but that one is: the next command
    reads the plan from it."""
    from cheplan.loading import cache
    from cheplan.loading.load import Source
    from cheplan.loading.locate import resolve_registers

    _send_counting(cli, tmp_path, monkeypatch)
    texts = [Source.read(path).text for path in [tmp_path / "plan.yaml", *resolve_registers(None)]]
    documents = cache.load_valid(cache.content_key(texts))
    assert documents is not None
    assert len(documents[0]["rounds"][0]["messages"]) == 15
