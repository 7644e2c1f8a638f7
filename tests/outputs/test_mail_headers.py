"""Whatever the plan's text, a returns message's headers are the ones cheplan writes: names with
line breaks, non-ASCII or quotes never inject a header, and every address survives intact."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from cheplan.domain.contacts import Contact
from cheplan.domain.mail_server import Sender
from cheplan.domain.meetings import Meeting
from cheplan.domain.model import Organisation, Plan
from cheplan.outputs.mail import CoverNote, build_message, message_bytes
from cheplan.questions.rounds import Asked

HEADERS = {
    "From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "X-Cheplan-Round",
    "X-Cheplan-Organisation", "MIME-Version", "Content-Type",
}  # fmt: skip
SENDER = Sender("coordinator@council.example.org", "Coordinator", None)
names = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60).filter(str.strip)


def message(organisation_name: str, contact_name: str) -> EmailMessage:
    organisation = Organisation(id="csp", name=organisation_name)
    to = Contact(name=contact_name, email="ann@partner.example.org", primary=True)
    cc = [Contact(name=contact_name + "\r\nBcc: x@evil.example", email="ben@partner.example.org")]
    note = CoverNote(
        "send", organisation_name, organisation, "2020-Q3", date(2020, 9, 30), date(2020, 10, 21),
        None, Asked([], [], []), to, cc, "returns-csp.xlsx", b"PK\x03\x04 workbook",
    )  # fmt: skip
    built = build_message(note, SENDER, now=datetime(2020, 10, 1, 9, tzinfo=UTC), message_id="<m1@council.example.org>")
    parsed = BytesParser(policy=policy.default).parsebytes(message_bytes(built))
    assert isinstance(parsed, EmailMessage)
    return parsed


@settings(max_examples=150, deadline=None)
@given(organisation_name=names, contact_name=names)
def test_no_plan_text_injects_a_header(organisation_name: str, contact_name: str) -> None:
    parsed = message(organisation_name, contact_name)
    assert set(parsed.keys()) == HEADERS
    assert [a.addr_spec for a in parsed["To"].addresses] == ["ann@partner.example.org"]
    assert [a.addr_spec for a in parsed["Cc"].addresses] == ["ben@partner.example.org"]
    assert not {"\n", "\r"} & set(str(parsed["Subject"]))
    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_content() == b"PK\x03\x04 workbook"


def test_meetings_and_their_papers_are_events() -> None:
    from cheplan.outputs.calendar import Feed, calendar_feed
    from cheplan.questions.organisations import directory_of
    from tests.conftest import plan_data

    plan = _plan(plan_data())
    meeting = Meeting(date="2020-11-04", body="Partnership Board", papers_due="2020-10-28")
    feed = Feed(plan, directory_of(plan), [], date(2020, 10, 1), meetings=[meeting])
    events: dict[str, Any] = {str(e["SUMMARY"]): e for e in Calendar.from_ical(calendar_feed(feed)).walk("VEVENT")}
    assert events["Meeting: Partnership Board"]["DTSTART"].dt == date(2020, 11, 4)
    assert events["Papers due: Partnership Board of 2020-11-04"]["DTSTART"].dt == date(2020, 10, 28)


def _plan(data: dict[str, object]) -> Plan:
    import yaml

    from cheplan.loading.load import Source, validate_sources

    validation = validate_sources(Source(yaml.safe_dump(data), "plan.yaml"), [])
    assert validation.plan is not None
    return validation.plan
