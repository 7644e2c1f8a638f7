"""The people an organisation's returns go to: name, address, role, and which one is primary.

Addresses are checked as RFC 5321/6531 addresses by `email-validator` (syntax only: no DNS
look-up, so validation never touches the network). A message goes to the primary contact,
copied to the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from cheplan.domain.fields import Text, _Checked
from cheplan.domain.source_note import SCHEMA_CONFIG

MAX_ADDRESS_CHARS = 254  # RFC 5321's limit on a forward path


def address_problem(value: str) -> str | None:
    """Why `value` is not a mail address a message can be sent to, or None."""
    if len(value) > MAX_ADDRESS_CHARS:
        return f"the address is {len(value)} characters, over the {MAX_ADDRESS_CHARS} a mail server accepts"
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in value):
        return f"{value!r} is not a mail address: it holds a space, line break or control character"
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as exc:
        return f"{value!r} is not a mail address: {exc}"
    if checked.normalized != value and checked.normalized.lower() != value.lower():
        return f"{value!r} is not written as a mail address is; write it as {checked.normalized!r}"
    return None


MailAddress = Annotated[str, _Checked(address_problem, r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "returns@partner.example.org")]


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """A person (or shared mailbox) at the organisation who receives its returns."""

    __pydantic_config__: ClassVar[Any] = SCHEMA_CONFIG
    name: Text
    """Their name (or the mailbox's), as they write it."""
    email: MailAddress
    """Their mail address."""
    role: Text | None = None
    """Their role, e.g. Head of Community Safety, optional."""
    primary: bool = False
    """True for the one contact a returns message is addressed to; the others are copied in.
    At most one per organisation; with none, the first contact is addressed."""


def addressees(contacts: list[Contact]) -> tuple[Contact | None, list[Contact]]:
    """Who a message goes to (the primary contact, else the first) and who is copied in."""
    if not contacts:
        return None, []
    to = next((contact for contact in contacts if contact.primary), contacts[0])
    return to, [contact for contact in contacts if contact is not to]
