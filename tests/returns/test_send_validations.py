"""How many times `returns send` validates the whole plan per message: counted, not timed.

Each message is recorded in its own locked, validated write. Validating a 10,000-action plan
takes seconds, so a run may not validate the plan again for the lock's claim (the text the
last record wrote is in the validation cache) nor for the record (the claim's validation of
the same text, under the same lock, is reused).
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


def test_with_the_cache_each_message_validates_the_plan_once(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    """The claim finds the text in the cache (loaded, or written by the last record); the record
    reuses the claim's validation: only the edited text is validated (and once the round's start)."""
    messages, validations = _send_counting(cli, tmp_path, monkeypatch)
    assert messages == 15
    assert validations == 1 + 15


def test_without_the_cache_the_claim_validates_and_the_record_reuses_it(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The round's start validates the plan and its edit; each message its claim and its edit."""
    messages, validations = _send_counting(cli, tmp_path, monkeypatch)
    assert messages == 15
    assert validations == 2 + 2 * 15
