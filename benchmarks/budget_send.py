"""Budget case for `returns send`: a regional unit's plan (10,000 actions of the shipped style, 15
organisations each with one contact) mailed to a real SMTP server, each message recorded in the
plan as the server accepts it. A first run: validation included.

The server (aiosmtpd on 127.0.0.1, tests/returns/smtp_server.py) runs in the measuring script's
own process, started when the case is first measured: the peak and the CPU seconds are the
command's alone. Each measurement sends from a fresh copy of the plan (a send records what it
sent, and would send nothing the second time).
"""

from __future__ import annotations

import io
import re
import shutil
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

from budget_inputs import REPO, Case, synthetic_plan

ROUND = ("--round", "2021-Q1", "--deadline", "2021-02-01", "--as-of", "2021-01-15")
_ORGANISATION = re.compile(r"  - id: ([a-z0-9-]+)\n    name: [^\n]*\n")
_servers = ExitStack()  # open for the life of the measuring process
_running: list[Any] = []


def send_cases() -> list[Case]:
    return [
        Case(
            "10,000-action plan, `returns send` to an SMTP server (15 messages, each recorded)",
            "budget-send-10k.yaml",
            _with_contacts,
            "15 sent and recorded",
            0,
            ("returns", "send", *ROUND, "--mail-config"),
            arguments=_fresh_copy,
        )
    ]


def _with_contacts(out: TextIO) -> None:
    """The 10,000-action plan with a contact under each organisation."""
    plan = io.StringIO()
    synthetic_plan(10_000)(plan)
    head, organisations = plan.getvalue().split("\norganisations:\n", 1)
    following = re.search(r"\n[a-z_]+:", organisations)
    block, tail = (
        (organisations[: following.start()], organisations[following.start() :]) if following else (organisations, "")
    )

    def contact(match: re.Match[str]) -> str:
        name = match.group(1)
        return match.group(0) + (
            f"    contacts:\n      - name: Officer {name}\n"
            f"        email: returns@{name}.example.org\n        primary: true\n"
        )

    out.write(head + "\norganisations:\n" + _ORGANISATION.sub(contact, block) + tail)


def _fresh_copy(path: Path) -> list[str]:
    """A mail config naming the running server, and a copy of the plan to send from."""
    server = _server(path.parent)
    config = path.with_name("budget-send-mail.toml")
    config.write_text(
        f'host = "{server.host}"\nport = {server.port}\nsecurity = "none"\n'
        'from = "Coordinator <coordinator@council.example.org>"\n',
        encoding="utf-8",
    )
    copy = path.with_name("budget-send-10k-sending.yaml")
    shutil.copyfile(path, copy)
    return [str(config), "--plan", str(copy)]


def _server(folder: Path) -> Any:
    if not _running:
        sys.path.insert(0, str(REPO))
        from tests.returns.smtp_server import smtp_server

        spool = folder / "budget-send-server"
        spool.mkdir(exist_ok=True)
        _running.append(_servers.enter_context(smtp_server(spool)))
    return _running[0]
