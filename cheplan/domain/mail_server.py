"""Hand messages to the partnership's own mail server, with the standard library's smtplib.

Like :mod:`cheplan.domain.filesystem`, this is where cheplan acts on the world outside its
process, and it knows nothing of plans: it takes finished message bytes and says which the
server accepted. It sits in the first stage so that the command that sends (cli) and the
writer that records what went (editing) both stand after it. The connection is encrypted
(`tls`: TLS from the start, port 465; `starttls`: upgraded, port 587) and the server's
certificate is checked; plain SMTP is refused to any host but this machine unless the
caller allows it. A password is never logged or shown: smtplib's debug output stays off.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from cheplan.domain.errors import UsageError

Security = Literal["starttls", "tls", "none"]
SECURITIES: tuple[Security, ...] = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class MailServer:
    """How to reach the mail server; the password is kept out of its text form."""

    host: str
    port: int
    security: Security = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None
    """A certificate authority to trust besides the system's (a council's own, or a test's)."""
    timeout: float = TIMEOUT_SECONDS


@dataclass(frozen=True)
class Sender:
    """Who the messages are from, and where replies go (the coordinator)."""

    address: str
    name: str | None = None
    reply_to: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """One message to hand over: a key the caller knows it by, its envelope and its bytes."""

    key: str
    sender: str
    recipients: list[str]
    data: bytes
    utf8: bool = False


@dataclass(frozen=True)
class Refused:
    key: str
    reason: str


def is_local(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_secure(server: MailServer, *, insecure: bool) -> None:
    """Refuse to send in the clear to another machine, unless told to."""
    if server.security == "none" and not insecure and not is_local(server.host):
        raise UsageError(
            f"the mail server {server.host} is set to plain SMTP (security none), which would send the"
            " messages and any password unencrypted; use starttls or tls, or give --insecure"
        )


def _connect(server: MailServer) -> object:
    import smtplib
    import ssl

    context = ssl.create_default_context(cafile=server.ca_file) if server.security != "none" else None
    connection: smtplib.SMTP
    if server.security == "tls":
        connection = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
    else:
        connection = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        if server.security == "starttls":
            connection.ehlo()
            connection.starttls(context=context)
    connection.ehlo()
    if server.user:
        connection.login(server.user, server.password or "")
    return connection


def deliver(server: MailServer, messages: Iterable[Outgoing], accepted: Callable[[Outgoing], None]) -> list[Refused]:
    """Send each message over one connection; `accepted` is called as soon as the server takes one.

    A message the server refuses is reported and the next is tried; once the connection is
    lost (or cannot be made) the rest are reported unsent, for a later run to send.
    """
    import smtplib

    pending = list(messages)
    refused: list[Refused] = []
    try:
        connection = _connect(server)
    except (smtplib.SMTPException, OSError) as exc:
        return [Refused(m.key, _why(exc)) for m in pending]
    assert isinstance(connection, smtplib.SMTP)
    try:
        for position, message in enumerate(pending):
            options = ["SMTPUTF8"] if message.utf8 else []
            try:
                connection.sendmail(message.sender, message.recipients, message.data, mail_options=options)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                refused.append(Refused(message.key, _why(exc)))
                continue
            except (smtplib.SMTPException, OSError) as exc:
                return refused + [Refused(m.key, _why(exc)) for m in pending[position:]]
            accepted(message)
    finally:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()
    return refused


def _why(exc: BaseException) -> str:
    import smtplib

    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "the server refused the user name or password"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "the server refused " + ", ".join(sorted(exc.recipients))
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"the server answered {exc.smtp_code} {' '.join(text.split())}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(exc, OSError):
        return f"cannot reach the server ({exc.strerror or exc})"
    return f"{type(exc).__name__}: {exc}"
