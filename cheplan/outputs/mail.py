"""Returns messages: a cover note (plain text, and HTML escaped by Jinja2) with the workbook attached.

Nothing here sends: a message is built as an `email.message.EmailMessage` and its bytes
(:func:`message_bytes`) go to a mail server (:mod:`cheplan.domain.mail_server`) or into an
.eml file. Plan text never shapes a header: names and subjects are made one line (a CR or LF
becomes a space, other hidden characters are shown as escapes) and every header is written
by the `email` package's policy, which encodes non-ASCII text as RFC 2047 words, or as UTF-8
(RFC 6532) when an address itself is not ASCII. Every address was validated with the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from cheplan.domain.contacts import Contact
from cheplan.domain.mail_server import Sender
from cheplan.domain.model import Action, Organisation
from cheplan.domain.safe_text import visible
from cheplan.questions.rounds import DUE_WINDOW_DAYS, Asked, first_sentence

if TYPE_CHECKING:
    from email.message import EmailMessage

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
MessageKind = Literal["send", "chase"]


@dataclass(frozen=True)
class CoverNote:
    """Everything one organisation's message says."""

    kind: MessageKind
    plan_title: str
    organisation: Organisation
    round_id: str
    as_of: date
    deadline: date
    meeting: str | None
    asked: Asked
    to: Contact
    cc: list[Contact]
    workbook_name: str
    workbook: bytes


def one_line(text: str) -> str:
    """Text for a header: hidden characters shown, line breaks and runs of space made one space."""
    return " ".join(visible(" ".join(text.split())).split())


def subject(note: CoverNote) -> str:
    deadline = note.deadline.strftime("%d %B %Y").lstrip("0")
    what = "Reminder: return" if note.kind == "chase" else "Return"
    return one_line(f"{what} {note.round_id} for {note.organisation.name}: due by {deadline}")


def _items(actions: list[Action]) -> list[dict[str, Any]]:
    return [{"id": action.id, "text": visible(first_sentence(action.action))} for action in actions]


def _context(note: CoverNote, signature: str) -> dict[str, Any]:
    from datetime import timedelta

    return {
        "kind": note.kind,
        "to_name": visible(note.to.name),
        "organisation": visible(note.organisation.name),
        "plan_title": visible(note.plan_title),
        "round_id": note.round_id,
        "as_of": note.as_of.isoformat(),
        "deadline": f"{note.deadline.strftime('%A')} {note.deadline.day} {note.deadline.strftime('%B %Y')}"
        f" ({note.deadline.isoformat()})",
        "meeting": visible(note.meeting) if note.meeting else None,
        "unfinished": len(note.asked.unfinished),
        "overdue": _items(note.asked.overdue),
        "due": _items(note.asked.due),
        "due_until": (note.as_of + timedelta(days=DUE_WINDOW_DAYS)).isoformat(),
        "workbook": note.workbook_name,
        "signature": visible(signature),
    }


def _template(name: str) -> str:
    return resources.files("cheplan.outputs").joinpath("templates", name).read_text("utf-8")


def cover_texts(note: CoverNote, signature: str) -> tuple[str, str]:
    """The cover note as plain text, and as HTML with every piece of plan text escaped."""
    from jinja2 import Environment, StrictUndefined

    context = _context(note, signature)
    plain = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)
    html = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    text = plain.from_string(_template("returns_mail.txt.j2")).render(context)
    markup = html.from_string(_template("returns_mail.html.j2")).render(context)
    return text, markup


def _address(contact_name: str | None, address: str) -> Any:
    """An address for a header. A non-ASCII local part (RFC 6531) is valid, but the `email`
    package's Address refuses to build one: it is written as text, the name quoted, and the
    SMTPUTF8 policy then carries it as UTF-8."""
    from email.headerregistry import Address
    from email.utils import quote

    name = one_line(contact_name) if contact_name else ""
    if address.partition("@")[0].isascii():
        return Address(display_name=name, addr_spec=address)
    return f'"{quote(name)}" <{address}>' if name else address


def needs_utf8(message: EmailMessage) -> bool:
    """Whether an address is not ASCII, so the message must go as SMTPUTF8 (RFC 6531/6532)."""
    for field in ("From", "To", "Cc", "Reply-To"):
        header = message[field]
        if header is not None and any(not address.addr_spec.isascii() for address in header.addresses):
            return True
    return False


def build_message(note: CoverNote, sender: Sender, *, now: datetime, message_id: str) -> EmailMessage:
    """The message: From the sender, To the primary contact, Cc the others, Reply-To the coordinator."""
    from email.message import EmailMessage
    from email.policy import SMTP, SMTPUTF8
    from email.utils import format_datetime

    addresses = [sender.address, sender.reply_to or "", note.to.email, *(contact.email for contact in note.cc)]
    message = EmailMessage(policy=SMTP if all(address.isascii() for address in addresses) else SMTPUTF8)
    message["From"] = _address(sender.name, sender.address)
    message["To"] = _address(note.to.name, note.to.email)
    if note.cc:
        message["Cc"] = [_address(contact.name, contact.email) for contact in note.cc]
    message["Reply-To"] = _address(sender.name, sender.reply_to or sender.address)
    message["Subject"] = subject(note)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message["X-Cheplan-Round"] = note.round_id
    message["X-Cheplan-Organisation"] = note.organisation.id
    text, markup = cover_texts(note, sender.name or sender.address)
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(markup, subtype="html", cte="quoted-printable")
    maintype, subtype = XLSX_TYPE
    message.add_attachment(note.workbook, maintype=maintype, subtype=subtype, filename=note.workbook_name)
    return message


def message_bytes(message: EmailMessage) -> bytes:
    """The message as it goes on the wire or into an .eml file (CRLF line ends; UTF-8 headers
    only when an address needs them, RFC 2047 encoded words otherwise)."""
    return message.as_bytes()


def new_message_id(sender_address: str) -> str:
    """A new, unique Message-ID in the sender's domain, short enough to stay on its header's line."""
    import secrets

    domain = sender_address.rpartition("@")[2]
    if not domain.isascii():
        domain = domain.encode("idna").decode("ascii")
    return f"<cheplan.{secrets.token_hex(10)}@{domain}>"
