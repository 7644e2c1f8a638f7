"""A real SMTP server (aiosmtpd) on 127.0.0.1, on an ephemeral port, in the test process.

It keeps what it was sent, can require STARTTLS (with a certificate from a CA the test makes)
and a login, and can drop the connection when a given message starts.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes
    options: list[str] = field(default_factory=list)

    def parsed(self) -> EmailMessage:
        message = BytesParser(policy=policy.default).parsebytes(self.data)
        assert isinstance(message, EmailMessage)
        return message


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    drop_after: int | None = None  # close the connection when message drop_after + 1 starts
    logins: list[str] = field(default_factory=list)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if self.drop_after is not None and len(self.received) >= self.drop_after:
            server.transport.close()
            return "421 closing"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = bytes(envelope.original_content)
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), content, list(envelope.mail_options))
        )
        return "250 Message accepted for delivery"


class _EphemeralController(Controller):
    def _trigger_server(self) -> None:
        # Bound to port 0: ask the socket which port it got before connecting to it.
        server: Any = self.server
        self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


@dataclass
class Server:
    host: str
    port: int
    handler: Handler
    ca_file: Path | None = None


class Authenticator:
    def __init__(self, user: str, password: str, handler: Handler) -> None:
        self.user, self.password, self.handler = user, password, handler

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == self.user
            and auth_data.password.decode() == self.password
        )
        if ok:
            self.handler.logins.append(self.user)
        return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(
    tmp_path: Path,
    *,
    drop_after: int | None = None,
    starttls: bool = False,
    tls: bool = False,
    login: tuple[str, str] | None = None,
) -> Iterator[Server]:
    """`starttls`: the server offers STARTTLS and requires it; `tls`: TLS from the first byte."""
    handler = Handler(drop_after=drop_after)
    kwargs: dict[str, Any] = {"enable_SMTPUTF8": True}
    ca_file, ssl_context = None, None
    if starttls or tls:
        import trustme

        authority = trustme.CA()  # a certificate authority of the test's own, trusted by no one else
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        ca_file = tmp_path / "test-ca.pem"
        authority.cert_pem.write_to_path(str(ca_file))
        if starttls:
            kwargs |= {"tls_context": context, "require_starttls": True}
        else:
            ssl_context = context
    if login is not None:
        kwargs |= {"authenticator": Authenticator(*login, handler), "auth_required": True}
        kwargs["auth_require_tls"] = starttls
    controller = _EphemeralController(handler, hostname="127.0.0.1", port=0, ssl_context=ssl_context, **kwargs)
    controller.start()
    try:
        yield Server("127.0.0.1", controller.port, handler, ca_file)
    finally:
        controller.stop()
