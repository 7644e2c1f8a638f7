"""`--dry-run` .eml files (checked with email.parser and mail-parser), the mail settings, and
what a message says: escaped HTML, encoded headers, non-ASCII addresses."""

from __future__ import annotations

import base64
import os
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser, Parser
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.returns.round_plan import plan_with_contacts
from tests.returns.test_send import FROM, ROUND, attachment, rounds_of


@pytest.fixture(autouse=True)
def _mail_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("CHEPLAN_SMTP_", "CHEPLAN_MAIL_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("CHEPLAN_MAIL_FROM", FROM)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return plan_with_contacts(tmp_path)


def parse(path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def test_dry_run_writes_well_formed_eml_files_and_records_nothing(cli: RunCli, plan: Path, tmp_path: Path) -> None:
    before = plan.read_bytes()
    result = cli("returns", "send", "--plan", plan, *ROUND, "--dry-run", tmp_path / "outbox")
    assert result.code == 0, result.stderr
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 15
    assert plan.read_bytes() == before
    for path in files:
        message = parse(path)
        assert message.defects == []
        assert all(not part.defects for part in message.walk())
        assert message.get_content_type() == "multipart/mixed"
        assert message["X-Unsent"] == "1"
        assert [p.get_content_type() for p in message.walk()][1:4] == [
            "multipart/alternative",
            "text/plain",
            "text/html",
        ]
        assert b"\r\n" in path.read_bytes()


def test_a_second_parser_reads_the_eml_file_alike(cli: RunCli, plan: Path, tmp_path: Path) -> None:
    import mailparser

    assert cli("returns", "send", "--plan", plan, *ROUND, "--lead", "nps", "--dry-run", tmp_path / "out").code == 0
    [path] = list((tmp_path / "out").glob("*.eml"))
    other = mailparser.parse_from_bytes(path.read_bytes())
    ours = parse(path)
    assert other.defects == []
    assert other.subject == str(ours["Subject"]).strip()
    assert other.to == [("Returns officer (nps)", "returns@nps.example.org")]
    assert other.cc == [("Deputy (nps)", "deputy@nps.example.org")]
    assert other.message_id == str(ours["Message-ID"]).strip()
    [found] = other.attachments
    assert found["filename"] == "returns-nps.xlsx"
    assert base64.b64decode(found["payload"]) == attachment(ours)[1]
    assert "2020-10-21" in other.text_plain[0]


def test_without_a_mail_server_the_messages_go_to_a_folder(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("returns", "send", "--plan", plan, *ROUND, "--lead", "nps")
    assert result.code == 0, result.stderr
    assert "no mail server is configured" in result.stderr
    assert [p.name for p in (tmp_path / "mail-2020-Q3").iterdir()] == ["2020-Q3-nps-send.eml"]


def test_the_html_part_escapes_plan_text_and_headers_are_encoded(cli: RunCli, tmp_path: Path) -> None:
    plan = plan_with_contacts(tmp_path, name_of={"cheb": '"<b onclick=x>Board</b> & Co — Süd"'})
    assert cli("returns", "send", "--plan", plan, *ROUND, "--lead", "cheb", "--dry-run", tmp_path / "out").code == 0
    [path] = list((tmp_path / "out").glob("*.eml"))
    message = parse(path)
    html = message.get_body(("html",))
    assert html is not None
    content = html.get_content()
    assert "&lt;b onclick=x&gt;Board&lt;/b&gt; &amp; Co — Süd" in content
    assert "<b onclick" not in content
    assert "<b onclick=x>Board</b> & Co — Süd" in str(message["Subject"])
    assert path.read_bytes().split(b"\r\n\r\n", 1)[0].isascii()


def test_a_non_ascii_address_is_sent_as_utf8(cli: RunCli, tmp_path: Path) -> None:
    plan = plan_with_contacts(tmp_path)
    plan.write_text(plan.read_text(encoding="utf-8").replace("returns@nps.", "jöran@nps."), encoding="utf-8")
    assert cli("returns", "send", "--plan", plan, *ROUND, "--lead", "nps", "--dry-run", tmp_path / "out").code == 0
    [path] = list((tmp_path / "out").glob("*.eml"))
    assert "jöran@nps.example.org".encode() in path.read_bytes()
    # RFC 6532: the header is UTF-8, read as text (BytesParser reads headers as ASCII)
    parsed = Parser(policy=policy.default).parsestr(path.read_bytes().decode("utf-8"))
    assert parsed["To"].addresses[0].addr_spec == "jöran@nps.example.org"


@pytest.mark.parametrize(
    ("address", "why"),
    [("not-an-address", "not a mail address"), ("a@b@example.org", "not a mail address"), ("x @example.org", "space")],
)
def test_a_contact_address_is_validated_at_its_line(cli: RunCli, tmp_path: Path, address: str, why: str) -> None:
    plan = plan_with_contacts(tmp_path)
    text = plan.read_text(encoding="utf-8").replace("returns@nps.example.org", address)
    plan.write_text(text, encoding="utf-8")
    result = cli("validate", "--plan", plan)
    assert result.code == 1
    line = text[: text.index(address)].count("\n") + 1
    assert f"plan.yaml:{line}:" in result.stdout + result.stderr
    assert why in result.stdout + result.stderr


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mail.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_settings_come_from_the_config_file_and_the_environment_overrides_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cheplan.loading.mail_settings import mail_settings

    secret = tmp_path / "secret"
    secret.write_text("pw\n", encoding="utf-8")
    secret.chmod(0o600)
    config = write_config(
        tmp_path,
        'host = "smtp.council.example.org"\nsecurity = "tls"\nuser = "me"\n'
        f'password_file = "{secret}"\nfrom = "Coordinator <c@council.example.org>"\n',
    )
    monkeypatch.delenv("CHEPLAN_MAIL_FROM")
    settings = mail_settings(config)
    assert settings.server is not None
    assert (settings.server.host, settings.server.port, settings.server.security) == (
        "smtp.council.example.org",
        465,
        "tls",
    )
    assert settings.server.password == "pw"
    assert "pw" not in repr(settings)
    assert settings.sender.reply_to == "c@council.example.org"
    monkeypatch.setenv("CHEPLAN_SMTP_PORT", "2465")
    monkeypatch.setenv("CHEPLAN_MAIL_FROM", "other@council.example.org")
    overridden = mail_settings(config)
    assert overridden.server is not None
    assert overridden.server.port == 2465
    assert overridden.sender.address == "other@council.example.org"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('host = "h"\npassword = "x"\n', "holds a password"),
        ('host = "h"\nhots = "x"\n', "unknown setting"),
        ('host = "h"\nsecurity = "ssl"\n', "not one of starttls, tls, none"),
        ('host = "h"\nport = 70000\n', "not a port number"),
        ('host = "h"\nreply_to = "nobody"\n', "reply_to"),
        ("host = [\n", "not a TOML file"),
        ('host = "h"\nuser = "me"\n', "no password"),
    ],
)
def test_bad_settings_are_usage_errors(cli: RunCli, plan: Path, tmp_path: Path, config: str, message: str) -> None:
    path = write_config(tmp_path, config)
    result = cli("returns", "send", "--plan", plan, *ROUND, "--mail-config", path)
    assert result.code == 2
    assert message in result.stderr
    assert rounds_of(plan) == []


def test_a_password_file_others_can_read_is_refused(
    cli: RunCli, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("pw\n", encoding="utf-8")
    secret.chmod(0o644)
    monkeypatch.setenv("CHEPLAN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHEPLAN_SMTP_USER", "me")
    monkeypatch.setenv("CHEPLAN_SMTP_PASSWORD_FILE", str(secret))
    result = cli("returns", "send", "--plan", plan, *ROUND)
    assert result.code == 2
    assert "chmod 600" in result.stderr


def test_no_sender_is_a_usage_error(cli: RunCli, plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHEPLAN_MAIL_FROM")
    result = cli("returns", "send", "--plan", plan, *ROUND)
    assert result.code == 2
    assert "CHEPLAN_MAIL_FROM" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["returns", "send", "--round", "2020 Q3", "--deadline", "2020-10-21"], "not a round id"),
        (["returns", "send", "--round", "2020-Q3", "--deadline", "2020-13-01"], "--deadline"),
        (["returns", "send", "--round", "2020-Q3", "--deadline", "2020-09-01", "--as-of", "2020-09-30"], "before"),
        (["returns", "send", *ROUND, "--resend", "nobody"], "--resend"),
        (["returns", "chase", "--round", "2020-Q9"], "no round '2020-Q9'"),
        (["returns", "send", *ROUND, "--meeting", "4/11/2020"], "--meeting"),
    ],
)
def test_usage_errors(cli: RunCli, plan: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = cli(*args, "--plan", plan, "--dry-run", tmp_path / "out")
    assert result.code == 2
    assert message in result.stderr


def test_an_organisation_without_contacts_is_named_and_the_exit_is_1(cli: RunCli, tmp_path: Path) -> None:
    plan = plan_with_contacts(tmp_path)
    text = plan.read_text(encoding="utf-8")
    start = text.index("    contacts:\n      - name: Returns officer (nps)")
    end = text.index("deputy@nps.example.org\n") + len("deputy@nps.example.org\n")
    plan.write_text(text[:start] + text[end:], encoding="utf-8")
    result = cli("returns", "send", "--plan", plan, *ROUND, "--dry-run", tmp_path / "out")
    assert result.code == 1
    assert "nps: not sent: it has no contacts in the plan" in result.stderr
    assert len(list((tmp_path / "out").glob("*.eml"))) == 14


def test_export_with_a_round_starts_it_and_its_workbooks_carry_it(cli: RunCli, plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "returns"
    result = cli("returns", "export", "--plan", plan, "--round", "2020-Q3", "--deadline", "2020-10-21",
                 "--as-of", "2020-09-30", "--lead", "nps", "--out", out)  # fmt: skip
    assert result.code == 0, result.stderr
    assert rounds_of(plan) == [{"id": "2020-Q3", "as_of": "2020-09-30", "deadline": "2020-10-21"}]
    imported = cli("returns", "import", "--plan", plan, "--as-of", "2020-10-05", out / "returns-nps.xlsx")
    assert imported.code == 0, imported.stderr
    assert "(National Probation Service, exported 2020-09-30, round 2020-Q3)" in imported.stdout
    assert "Round 2020-Q3: returned by nps\n  still missing: none\n" in imported.stdout


def test_export_deadline_without_a_round_is_a_usage_error(cli: RunCli, plan: Path, tmp_path: Path) -> None:
    result = cli("returns", "export", "--plan", plan, "--deadline", "2020-10-21", "--out", tmp_path / "r")
    assert result.code == 2
    assert "--round" in result.stderr


@pytest.mark.parametrize("tamper", ["change", "remove"])
def test_the_round_a_workbook_carries_is_signed(cli: RunCli, plan: Path, tmp_path: Path, tamper: str) -> None:
    import openpyxl

    out = tmp_path / "returns"
    assert cli("returns", "export", "--plan", plan, "--round", "2020-Q3", "--deadline", "2020-10-21",
               "--as-of", "2020-09-30", "--lead", "nps", "--out", out).code == 0  # fmt: skip
    path = out / "returns-nps.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["cheplan"]
    row = next(r for r in sheet.iter_rows() if r[0].value == "round")
    if tamper == "change":
        row[1].value = "2020-Q4"
    else:
        sheet.delete_rows(int(row[0].row or 0))
    book.save(path)
    result = cli("returns", "import", "--plan", plan, "--as-of", "2020-10-05", path)
    assert result.code == 1
    assert ("the signed round was changed" if tamper == "change" else "the signature does not match") in result.stderr


@pytest.mark.parametrize(
    ("host", "security", "insecure", "refused"),
    [
        ("smtp.council.example.org", "none", False, True),
        ("smtp.council.example.org", "none", True, False),
        ("smtp.council.example.org", "starttls", False, False),
        ("127.0.0.1", "none", False, False),
        ("::1", "none", False, False),
        ("localhost", "none", False, False),
    ],
)
def test_plain_smtp_is_for_this_machine_only(host: str, security: str, insecure: bool, refused: bool) -> None:
    from cheplan.domain.errors import UsageError
    from cheplan.domain.mail_server import MailServer, check_secure

    server = MailServer(host=host, port=25, security=security)  # type: ignore[arg-type]
    if refused:
        with pytest.raises(UsageError, match="--insecure"):
            check_secure(server, insecure=insecure)
    else:
        check_secure(server, insecure=insecure)
