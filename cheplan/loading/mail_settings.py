"""Where and as whom `returns send` and `chase` send: a config file, overridden by the environment.

The file is TOML (`~/.config/cheplan/mail.toml`, or `$XDG_CONFIG_HOME/cheplan/mail.toml`,
or the one `--mail-config` names)::

    host = "smtp.council.example"
    port = 587
    security = "starttls"          # starttls, tls or none
    user = "csp-coordinator"
    password_file = "~/.config/cheplan/smtp-password"   # mode 0600
    from = "Community Safety Coordinator <csp.coordinator@council.example>"
    reply_to = "csp.coordinator@council.example"         # optional: From is the default

Each setting can be given, or overridden, by an environment variable: CHEPLAN_SMTP_HOST,
CHEPLAN_SMTP_PORT, CHEPLAN_SMTP_SECURITY, CHEPLAN_SMTP_USER, CHEPLAN_SMTP_PASSWORD_FILE,
CHEPLAN_SMTP_CA_FILE, CHEPLAN_MAIL_FROM and CHEPLAN_MAIL_REPLY_TO; the password itself may
come from CHEPLAN_SMTP_PASSWORD. Never from the command line (other users can read it in
the process list) and never from the config file (which is often shared or committed). With
no host set there is no mail server: messages are written as .eml files.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cheplan.domain.contacts import address_problem
from cheplan.domain.errors import UnreadableInputError, UsageError
from cheplan.domain.mail_server import DEFAULT_PORTS, SECURITIES, MailServer, Sender

ENVIRONMENT = {
    "host": "CHEPLAN_SMTP_HOST",
    "port": "CHEPLAN_SMTP_PORT",
    "security": "CHEPLAN_SMTP_SECURITY",
    "user": "CHEPLAN_SMTP_USER",
    "password_file": "CHEPLAN_SMTP_PASSWORD_FILE",
    "ca_file": "CHEPLAN_SMTP_CA_FILE",
    "from": "CHEPLAN_MAIL_FROM",
    "reply_to": "CHEPLAN_MAIL_REPLY_TO",
}
PASSWORD_ENV = "CHEPLAN_SMTP_PASSWORD"
MAX_CONFIG_BYTES = 64 * 1024


@dataclass(frozen=True)
class MailSettings:
    sender: Sender
    server: MailServer | None  # None: no mail server configured; write .eml files


def default_config() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "cheplan" / "mail.toml"


def _read_config(path: Path | None) -> dict[str, Any]:
    import tomllib

    from cheplan.domain.filesystem.reading import read_regular

    chosen = path or default_config()
    if path is None and not chosen.exists():
        return {}
    raw = read_regular(chosen, str(chosen))
    if len(raw) > MAX_CONFIG_BYTES:
        raise UnreadableInputError(f"{chosen}: {len(raw):,} bytes; a mail config is a few lines")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UnreadableInputError(f"{chosen}: not a TOML file ({exc})") from None
    unknown = sorted(set(data) - set(ENVIRONMENT))
    if "password" in data:
        raise UsageError(f"{chosen}: holds a password; put it in a file of mode 0600 named by password_file")
    if unknown:
        raise UsageError(f"{chosen}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(ENVIRONMENT)}")
    return {key: value for key, value in data.items() if value not in (None, "")}


def _settings(path: Path | None) -> dict[str, Any]:
    values = _read_config(path)
    for key, variable in ENVIRONMENT.items():
        if os.environ.get(variable):
            values[key] = os.environ[variable]
    return values


def read_password_file(path: Path) -> str:
    """The first line of a file only its owner can read (mode 0600 or stricter)."""
    from cheplan.domain.filesystem.reading import open_regular, read_descriptor

    descriptor = open_regular(path, str(path))
    try:
        status = os.fstat(descriptor)
        if stat.S_IMODE(status.st_mode) & 0o077:
            raise UsageError(
                f"{path}: the password file is readable by others (mode {stat.S_IMODE(status.st_mode):04o});"
                f" chmod 600 {path}"
            )
        if status.st_uid != os.getuid():
            raise UsageError(f"{path}: the password file belongs to another user")
        raw = read_descriptor(descriptor, str(path))
    finally:
        os.close(descriptor)
    lines = raw.decode("utf-8", "replace").splitlines()
    return lines[0] if lines else ""


def _port(value: Any, security: str) -> int:
    if value is None:
        return DEFAULT_PORTS[security]
    text = str(value)
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise UsageError(f"the mail server port {text!r} is not a port number (1-65535)")
    return int(text)


def _sender(values: dict[str, Any]) -> Sender:
    from email.utils import parseaddr

    given = values.get("from")
    if not given:
        raise UsageError(
            "no sender: set `from` in the mail config or CHEPLAN_MAIL_FROM, e.g."
            " 'Community Safety Coordinator <coordinator@council.example>'"
        )
    name, address = parseaddr(str(given))
    reply_to = str(values.get("reply_to") or address)
    for what, value in (("from", address), ("reply_to", reply_to)):
        problem = address_problem(value) if value else f"{given!r} holds no address"
        if problem:
            raise UsageError(f"the mail setting {what}: {problem}")
    return Sender(address, name or None, reply_to)


def mail_settings(config: Path | None) -> MailSettings:
    """The settings from `config` (or the default file, when it exists) and the environment."""
    values = _settings(config)
    sender = _sender(values)
    host = values.get("host")
    if not host:
        return MailSettings(sender, None)
    security = str(values.get("security", "starttls")).lower()
    if security not in SECURITIES:
        raise UsageError(f"the mail server security {security!r} is not one of {', '.join(SECURITIES)}")
    password = os.environ.get(PASSWORD_ENV) or None
    if password is None and values.get("password_file"):
        password = read_password_file(Path(str(values["password_file"])).expanduser())
    user = str(values["user"]) if values.get("user") else None
    if user and password is None:
        raise UsageError(f"a user is set for the mail server but no password: set {PASSWORD_ENV} or password_file")
    server = MailServer(
        host=str(host),
        port=_port(values.get("port"), security),
        security=security,  # narrowed to a Security by the check above
        user=user,
        password=password,
        ca_file=str(Path(str(values["ca_file"])).expanduser()) if values.get("ca_file") else None,
    )
    return MailSettings(sender, server)
