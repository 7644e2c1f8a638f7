"""`returns send` and `chase` against a real SMTP server (aiosmtpd, in the test process)."""

from __future__ import annotations

import os
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import RunCli
from tests.returns.round_plan import plan_with_contacts
from tests.returns.smtp_server import Received, Server, smtp_server

FROM = "Community Safety Coordinator <coordinator@council.example.org>"
ROUND = ["--round", "2020-Q3", "--deadline", "2020-10-21", "--as-of", "2020-09-30"]
XLSX = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return plan_with_contacts(tmp_path)


@pytest.fixture(autouse=True)
def _mail_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("CHEPLAN_SMTP_", "CHEPLAN_MAIL_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no user's mail.toml
    monkeypatch.setenv("CHEPLAN_MAIL_FROM", FROM)


def use(server: Server, monkeypatch: pytest.MonkeyPatch, security: str = "none") -> None:
    monkeypatch.setenv("CHEPLAN_SMTP_HOST", server.host)
    monkeypatch.setenv("CHEPLAN_SMTP_PORT", str(server.port))
    monkeypatch.setenv("CHEPLAN_SMTP_SECURITY", security)
    if server.ca_file is not None:
        monkeypatch.setenv("CHEPLAN_SMTP_CA_FILE", str(server.ca_file))


def rounds_of(plan: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    return list(data.get("rounds") or [])


def attachment(message: EmailMessage) -> tuple[str, bytes]:
    [part] = list(message.iter_attachments())
    assert part.get_content_type() == f"application/{XLSX}"
    content = part.get_content()
    assert isinstance(content, bytes)
    return str(part.get_filename()), content


def by_organisation(received: list[Received]) -> dict[str, EmailMessage]:
    return {str(r.parsed()["X-Cheplan-Organisation"]): r.parsed() for r in received}


def test_a_round_goes_to_15_organisations_with_workbooks_that_reimport_byte_for_byte(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = tmp_path / "exported"
    (tmp_path / "twin").mkdir()
    twin = plan_with_contacts(tmp_path / "twin")
    assert cli("returns", "export", "--plan", twin, *ROUND, "--out", exported).code == 0
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        result = cli("returns", "send", "--plan", plan, *ROUND, "--meeting", "2020-11-04")
        received = list(server.handler.received)
    assert result.code == 0, result.stderr
    messages = by_organisation(received)
    assert len(received) == len(messages) == 15
    recorded = rounds_of(plan)[0]
    assert recorded["meeting"] == "2020-11-04"
    ids = {m["organisation"]: m["message_id"] for m in recorded["messages"]}
    saved = []
    for organisation, message in messages.items():
        assert message["To"].addresses[0].addr_spec == f"returns@{organisation}.example.org"
        assert [a.addr_spec for a in message["Cc"].addresses] == [f"deputy@{organisation}.example.org"]
        assert message["Reply-To"].addresses[0].addr_spec == "coordinator@council.example.org"
        assert message["Message-ID"] == ids[organisation]
        assert "21 October 2020" in message["Subject"]
        body = message.get_body(("plain",))
        assert body is not None
        text = body.get_content()
        assert "2020-10-21" in text
        assert "These returns are for the meeting of 4 November 2020." in text
        name, data = attachment(message)
        assert data == (exported / name).read_bytes()
        saved.append(tmp_path / name)
        saved[-1].write_bytes(data)
    imported = cli("returns", "import", "--plan", plan, "--as-of", "2020-10-05", *saved)
    assert imported.code == 0, imported.stderr
    assert "round 2020-Q3" in imported.stdout
    assert "still missing: none" in imported.stdout


def test_the_cover_note_counts_and_lists_overdue_and_due_actions(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        assert cli("returns", "send", "--plan", plan, "--lead", "nps", *ROUND).code == 0
        [message] = [r.parsed() for r in server.handler.received]
    body = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert body is not None
    assert html is not None
    text = body.get_content()
    assert "Due by 2020-12-31 (3):" in text
    assert "  - Action 38: Pre-court and post conviction knife crime offenders" in text
    assert "Action 38" in html.get_content()


def test_a_second_send_sends_nothing_already_sent_unless_resent(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        assert cli("returns", "send", "--plan", plan, *ROUND).code == 0
        again = cli("returns", "send", "--plan", plan, *ROUND)
        assert len(server.handler.received) == 15
        resent = cli("returns", "send", "--plan", plan, *ROUND, "--resend", "nps")
        assert len(server.handler.received) == 16
    assert again.code == 0
    assert "nps: already sent" in again.stderr
    assert resent.code == 0
    messages = rounds_of(plan)[0]["messages"]
    assert isinstance(messages, list)
    assert [m["organisation"] for m in messages].count("nps") == 2


def test_a_server_that_drops_after_seven_messages_then_a_rerun(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server(tmp_path, drop_after=7) as server:
        use(server, monkeypatch)
        failed = cli("returns", "send", "--plan", plan, *ROUND)
        first = [str(r.parsed()["X-Cheplan-Organisation"]) for r in server.handler.received]
    assert failed.code == 1
    assert len(first) == 7
    messages = rounds_of(plan)[0]["messages"]
    assert isinstance(messages, list)
    assert [m["organisation"] for m in messages] == first
    assert "8 organisations not sent to" in failed.stderr
    assert "southwark-crc" in failed.stderr
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        rerun = cli("returns", "send", "--plan", plan, *ROUND)
        second = [str(r.parsed()["X-Cheplan-Organisation"]) for r in server.handler.received]
    assert rerun.code == 0, rerun.stderr
    assert len(second) == 8
    assert sorted(first + second) == sorted(set(first + second))


def test_starttls_with_a_certificate_the_test_made_and_a_login(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "password"
    secret.write_text("s3cret-Pa55\n", encoding="utf-8")
    secret.chmod(0o600)
    with smtp_server(tmp_path, starttls=True, login=("coordinator", "s3cret-Pa55")) as server:
        use(server, monkeypatch, "starttls")
        monkeypatch.setenv("CHEPLAN_SMTP_USER", "coordinator")
        monkeypatch.setenv("CHEPLAN_SMTP_PASSWORD_FILE", str(secret))
        result = cli("returns", "send", "--plan", plan, *ROUND, "--lead", "nps")
        assert server.handler.logins == ["coordinator"]
        assert len(server.handler.received) == 1
    assert result.code == 0, result.stderr
    assert "s3cret" not in result.stdout + result.stderr


def test_a_wrong_password_sends_and_records_nothing_and_is_never_shown(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server(tmp_path, starttls=True, login=("coordinator", "right")) as server:
        use(server, monkeypatch, "starttls")
        monkeypatch.setenv("CHEPLAN_SMTP_USER", "coordinator")
        monkeypatch.setenv("CHEPLAN_SMTP_PASSWORD", "wrong-Pa55word")
        result = cli("returns", "send", "--plan", plan, *ROUND, "--lead", "nps")
        assert server.handler.received == []
    assert result.code == 1
    assert "refused the user name or password" in result.stderr
    assert "wrong-Pa55word" not in result.stdout + result.stderr
    assert rounds_of(plan)[0].get("messages") is None


def test_an_untrusted_certificate_is_refused(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server(tmp_path, starttls=True) as server:
        use(server, monkeypatch, "starttls")
        monkeypatch.delenv("CHEPLAN_SMTP_CA_FILE")
        result = cli("returns", "send", "--plan", plan, *ROUND, "--lead", "nps")
        assert server.handler.received == []
    assert result.code == 1
    assert "nps: not sent" in result.stderr


def test_chase_after_ten_returns_are_imported(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        assert cli("returns", "send", "--plan", plan, *ROUND).code == 0
        sent = by_organisation(server.handler.received)
    returned = sorted(sent)[:10]
    files = []
    for organisation in returned:
        name, data = attachment(sent[organisation])
        files.append(tmp_path / name)
        files[-1].write_bytes(data)
    imported = cli("returns", "import", "--plan", plan, "--as-of", "2020-10-10", "--apply", *files)
    assert imported.code == 0, imported.stderr
    recorded = rounds_of(plan)[0]["returned"]
    assert isinstance(recorded, list)
    assert sorted(r["organisation"] for r in recorded) == returned
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        chase = cli("returns", "chase", "--plan", plan, "--round", "2020-Q3")
        chased = by_organisation(server.handler.received)
    assert chase.code == 0, chase.stderr
    assert sorted(chased) == sorted(set(sent) - set(returned))
    for organisation, message in chased.items():
        assert str(message["Subject"]).strip().startswith("Reminder: return 2020-Q3")
        assert attachment(message) == attachment(sent[organisation])  # the same workbook again
        body = message.get_body(("plain",))
        assert body is not None
        assert "2020-10-21" in body.get_content()
    messages = rounds_of(plan)[0]["messages"]
    assert isinstance(messages, list)
    assert sum(1 for m in messages if m["kind"] == "chase") == 5


def test_a_hostile_organisation_name_injects_no_header(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = '"Evil Board\\r\\nBcc: victim@attacker.example\\r\\nX-Injected: yes — ünïcode"'
    plan = plan_with_contacts(tmp_path, name_of={"cheb": hostile})
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        result = cli("returns", "send", "--plan", plan, *ROUND, "--lead", "cheb")
        [received] = server.handler.received
    assert result.code == 0, result.stderr
    assert received.recipients == ["returns@cheb.example.org", "deputy@cheb.example.org"]
    message = received.parsed()
    assert message["Bcc"] is None
    assert message["X-Injected"] is None
    assert "\n" not in message["Subject"]
    assert "Evil Board Bcc: victim@attacker.example X-Injected: yes — ünïcode" in message["Subject"]
    head = received.data.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()  # non-ASCII travels as RFC 2047 encoded words
    assert b"=?utf-8?" in head


def test_plain_smtp_to_another_machine_is_refused(cli: RunCli, plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHEPLAN_SMTP_HOST", "smtp.council.example.org")
    monkeypatch.setenv("CHEPLAN_SMTP_SECURITY", "none")
    result = cli("returns", "send", "--plan", plan, *ROUND)
    assert result.code == 2
    assert "--insecure" in result.stderr
    assert rounds_of(plan) == []


def test_a_non_ascii_address_goes_as_smtputf8(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan.write_text(plan.read_text(encoding="utf-8").replace("returns@nps.", "jöran@nps."), encoding="utf-8")
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        result = cli("returns", "send", "--plan", plan, *ROUND, "--lead", "nps")
        [received] = server.handler.received
    assert result.code == 0, result.stderr
    assert received.recipients[0] == "jöran@nps.example.org"
    assert "SMTPUTF8" in received.options


def test_a_chase_the_server_refuses_exits_1_naming_them(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        assert cli("returns", "send", "--plan", plan, *ROUND, "--lead", "nps").code == 0
    with smtp_server(tmp_path, drop_after=0) as server:
        use(server, monkeypatch)
        result = cli("returns", "chase", "--plan", plan, "--round", "2020-Q3")
    assert result.code == 1
    assert "nps: not sent: the server closed the connection" in result.stderr
    assert [m["kind"] for m in rounds_of(plan)[0]["messages"]] == ["send"]


def test_tls_from_the_first_byte(cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server(tmp_path, tls=True) as server:
        use(server, monkeypatch, "tls")
        result = cli("returns", "send", "--plan", plan, *ROUND, "--lead", "nps")
        assert len(server.handler.received) == 1
    assert result.code == 0, result.stderr


def test_an_organisation_another_run_sent_to_meanwhile_is_not_sent_again(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second `send` of the round records its message to nps after this run read the plan:
    re-checked under the lock, nps is not sent to twice."""
    from cheplan.cli.commands import returns_mail
    from cheplan.domain.rounds import SentMessage
    from cheplan.editing.rounds import RoundChange, record_round

    other = SentMessage(organisation="nps", kind="send", to=["returns@nps.example.org"],
                        message_id="<other-run@council.example.org>", sent="2020-09-30T09:00:00Z")  # fmt: skip
    real_prepare = returns_mail.prepare

    def prepare_then_another_run_sends(mailing: Any, work: Any, now: Any) -> Any:
        prepared = real_prepare(mailing, work, now)
        if work.organisation.id == "nps":  # this run has read the plan: the other run's message lands now
            record_round(plan, RoundChange("2020-Q3", messages=(other,)), registers=[])
        return prepared

    monkeypatch.setattr(returns_mail, "prepare", prepare_then_another_run_sends)
    with smtp_server(tmp_path) as server:
        use(server, monkeypatch)
        result = cli("returns", "send", "--plan", plan, *ROUND, "--lead", "nps")
        received = list(server.handler.received)
    assert result.code == 0, result.stderr
    assert received == []
    assert "nps: send meanwhile by another run (<other-run@council.example.org>); not sent again" in result.stderr
    assert [m["message_id"] for m in rounds_of(plan)[0]["messages"]] == ["<other-run@council.example.org>"]


def test_each_message_goes_while_the_plan_is_locked(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run waits for the lock before it reads the round: it cannot send in between."""
    import fcntl

    locked: list[bool] = []
    with smtp_server(tmp_path) as server:
        accept = server.handler.handle_DATA

        async def checking(smtp: Any, session: Any, envelope: Any) -> str:
            with plan.open("rb") as other:
                try:
                    fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    locked.append(True)
                else:
                    locked.append(False)
            return await accept(smtp, session, envelope)

        monkeypatch.setattr(server.handler, "handle_DATA", checking)
        use(server, monkeypatch)
        result = cli("returns", "send", "--plan", plan, *ROUND, "--lead", "nps")
    assert result.code == 0, result.stderr
    assert locked == [True]
