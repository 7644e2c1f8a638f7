"""What `returns send` and `returns chase` share: one message per organisation, then either
.eml files (a dry run) or the mail server, each accepted message recorded in the round at once.

Recording each message as the server accepts it (one locked, atomic write of the plan each)
is what keeps a message from going twice: a run cut short by a dropped connection, a full
disk or Ctrl-C has on record exactly the messages that went, and the next run sends the rest.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cheplan.cli.commands import EXIT_OK, EXIT_PROBLEMS, error
from cheplan.cli.commands.output import date_given, date_option
from cheplan.cli.commands.returns_export import workbook_name
from cheplan.domain.errors import CheplanError, UsageError
from cheplan.domain.mail_server import MailServer, Outgoing, Refused, check_secure, deliver
from cheplan.domain.model import Organisation, Plan
from cheplan.domain.rounds import MessageKind, ReturnsRound, SentMessage, round_id_problem
from cheplan.domain.safe_text import visible
from cheplan.domain.words import plural
from cheplan.loading.load import LoadedPlan
from cheplan.loading.locate import PLAN_ENV, display_name
from cheplan.loading.mail_settings import MailSettings, mail_settings
from cheplan.questions.organisations import Directory, directory_of
from cheplan.questions.rounds import asked_among

if TYPE_CHECKING:
    from cheplan.cli.commands.returns_export import ReturnsWork
    from cheplan.editing.rounds import RoundChange


def clock() -> datetime:
    """Now, in UTC: when a message is dated and recorded as sent."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class Mailing:
    """One run of send or chase: the plan, the round, where the messages go."""

    plan_path: Path
    registers: list[Path]
    loaded: LoadedPlan
    round_: ReturnsRound
    kind: MessageKind
    settings: MailSettings
    dry_run: Path | None
    directory: Directory = field(init=False)
    key: bytes = field(init=False, repr=False)  # the coordinator's returns key: signs each workbook
    digest: str = field(init=False)  # the plan's, in each workbook: made once, not once a message
    not_sent: list[tuple[str, str]] = field(default_factory=list)  # (organisation id, why)

    def __post_init__(self) -> None:
        from cheplan.loading.returns_key import returns_key
        from cheplan.questions.plan_digest import plan_digest

        self.directory = directory_of(self.loaded.plan)
        self.key = returns_key(create=True)
        self.digest = plan_digest(self.loaded.plan)


@dataclass(frozen=True)
class MailingPlan:
    settings: MailSettings
    dry_run: Path | None  # the folder for .eml files: the one given, or mail-ROUND with no server
    plan_path: Path
    register_paths: list[Path]
    loaded: LoadedPlan


def open_mailing_plan(
    plan: Path | None, registers: list[Path] | None, mail_config: Path | None, dry_run: Path | None, round_id: str,
    *, insecure: bool,
) -> MailingPlan:  # fmt: skip
    """What `send` and `chase` check and load before either looks at its round."""
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import resolve_plan, resolve_registers

    check_round_id(round_id)
    settings = mail_settings(mail_config)
    if dry_run is None and settings.server is None:
        dry_run = Path(f"mail-{round_id}")
        print(f"no mail server is configured: writing the messages to {dry_run}/ instead", file=sys.stderr)
    if dry_run is None and settings.server is not None:
        check_secure(settings.server, insecure=insecure)
        require_named_plan(plan)
    plan_path, register_paths = resolve_plan(plan), resolve_registers(registers)
    return MailingPlan(settings, dry_run, plan_path, register_paths, load_plan(plan_path, register_paths, cache=True))


def require_named_plan(plan: Path | None) -> None:
    import os

    if plan is None and not os.environ.get(PLAN_ENV):
        raise UsageError("sending records each message in the plan: name it with --plan FILE (or set CHEPLAN_PLAN)")


@dataclass(frozen=True)
class Prepared:
    organisation: Organisation
    outgoing: Outgoing
    record: SentMessage
    file_name: str


def prepare(mailing: Mailing, work: ReturnsWork, now: datetime) -> Prepared | None:
    """The message to the work's organisation, or None (with the reason noted) when there is none to send."""
    from cheplan.domain.contacts import addressees
    from cheplan.outputs.mail import CoverNote, build_message, message_bytes, needs_utf8, new_message_id
    from cheplan.outputs.returns_workbook import ReturnRequest, returns_workbook

    round_, sender, organisation = mailing.round_, mailing.settings.sender, work.organisation
    as_of = date.fromisoformat(round_.as_of)
    asked = asked_among(work.actions, as_of)
    if not asked.unfinished:
        print(f"{organisation.id}: no unfinished actions on {round_.as_of}; nothing to send", file=sys.stderr)
        return None
    to, cc = addressees(organisation.contacts)
    if to is None:
        mailing.not_sent.append((organisation.id, "it has no contacts in the plan"))
        return None
    plan = mailing.loaded.plan
    request = ReturnRequest(plan, organisation, asked.unfinished, as_of, mailing.digest, mailing.key, round_)
    note = CoverNote(
        mailing.kind, plan.plan.title, organisation, round_.id, as_of, date.fromisoformat(round_.current_deadline),
        meeting_words(plan, round_.meeting), asked, to, cc, workbook_name(organisation), returns_workbook(request),
    )  # fmt: skip
    message_id = new_message_id(sender.address)
    message = build_message(note, sender, now=now, message_id=message_id)
    if mailing.dry_run is not None:
        message["X-Unsent"] = "1"  # Outlook opens the .eml as a draft, ready to send by hand
    recipients = [to.email, *(contact.email for contact in cc)]
    outgoing = Outgoing(organisation.id, sender.address, recipients, message_bytes(message), needs_utf8(message))
    record = SentMessage(
        organisation=organisation.id, kind=mailing.kind, to=[to.email], cc=[c.email for c in cc],
        message_id=message_id, sent=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )  # fmt: skip
    return Prepared(organisation, outgoing, record, f"{round_.id}-{organisation.id}-{mailing.kind}.eml")


def run_mailing(mailing: Mailing, organisations: list[Organisation]) -> int:
    """Prepare each organisation's message, then write or send them all; the exit code."""
    from cheplan.cli.commands.returns_export import refuse_over_returns_caps, returns_work

    as_of = date.fromisoformat(mailing.round_.as_of)
    work = returns_work(mailing.loaded.plan, mailing.directory, organisations, as_of)
    refuse_over_returns_caps(work)  # before any workbook is made or message sent
    now = clock()
    prepared = [p for item in work if (p := prepare(mailing, item, now)) is not None]
    if mailing.dry_run is not None:
        _write_eml(mailing.dry_run, prepared)
    elif prepared:
        if mailing.settings.server is None:  # open_mailing_plan chose a dry run when no server is set
            raise UsageError("no mail server is configured; give --dry-run DIR to write the messages as .eml files")
        _send(mailing, mailing.settings.server, prepared)
    for organisation_id, why in mailing.not_sent:
        error(f"{organisation_id}: not sent: {visible(why)}")
    if mailing.not_sent:
        names = ", ".join(organisation_id for organisation_id, _ in mailing.not_sent)
        error(f"{plural(len(mailing.not_sent), 'organisation')} not sent to ({names}); run again to send the rest")
        return EXIT_PROBLEMS
    return EXIT_OK


def _write_eml(folder: Path, prepared: list[Prepared]) -> None:
    from cheplan.domain.filesystem.out_files import output_set

    with output_set(folder, name=display_name(folder), option="--dry-run") as files:
        for item in prepared:
            files.add(item.file_name, item.outgoing.data, name=display_name(folder / item.file_name))
    for item in prepared:
        to = ", ".join(item.record.to + item.record.cc)
        print(visible(f"{display_name(folder / item.file_name)}: to {to} (not sent)"))


def _send(mailing: Mailing, server: MailServer, prepared: list[Prepared]) -> None:
    """Send each message holding the plan's lock, re-checking the round first: a message another
    run has sent meanwhile is skipped, so two runs at once never both send to an organisation."""
    from cheplan.editing.rounds import HeldRound, RoundChange, held_round, remember_last_written

    by_key = {item.organisation.id: item for item in prepared}
    known = {m.message_id for m in mailing.round_.messages}  # on record when this run began
    held: dict[str, HeldRound] = {}

    @contextlib.contextmanager
    def claim(outgoing: Outgoing) -> Iterator[bool]:
        with held_round(mailing.plan_path, mailing.round_.id, registers=mailing.registers, cache=True) as current:
            since = [m for m in (current.round_.messages if current.round_ else []) if m.message_id not in known]
            other = next((m for m in since if m.organisation == outgoing.key and m.kind == mailing.kind), None)
            if other is not None:
                print(f"{outgoing.key}: {mailing.kind} meanwhile by another run ({other.message_id}); not sent again",
                      file=sys.stderr)  # fmt: skip
                yield False
                return
            held[outgoing.key] = current
            yield True

    def accepted(outgoing: Outgoing) -> None:
        item = by_key[outgoing.key]
        change = RoundChange(mailing.round_.id, messages=(item.record,))
        try:
            held.pop(outgoing.key).record(change)
        except CheplanError:  # sent, but not on record: say which, and send no more
            error(f"{item.organisation.id}: sent as {item.record.message_id}, but it could not be recorded in the plan")
            raise
        to = ", ".join(item.record.to + item.record.cc)
        print(visible(f"{item.organisation.id}: sent to {to} ({item.record.message_id})"), flush=True)

    try:
        refused: list[Refused] = deliver(server, [item.outgoing for item in prepared], accepted, claim)
    finally:  # each message's record is validated; only the last text need be in the cache
        remember_last_written()
    mailing.not_sent += [(r.key, r.reason) for r in refused]


def meeting_date(value: str | None, plan: Plan) -> str | None:
    """`--meeting` as an ISO date (one of the plan's meetings, when it lists them), or None."""
    given = date_option("--meeting", value)
    if given is None:
        return None
    day = given.isoformat()
    listed = sorted(m.date for m in plan.meetings)
    if listed and day not in listed:
        raise UsageError(f"--meeting: the plan lists no meeting on {day} (it lists {', '.join(listed)})")
    return day


def meeting_words(plan: Plan, day: str | None) -> str | None:
    """The meeting a round feeds, as a cover note names it: its body and date when the plan lists
    the meeting, else its date."""
    if day is None:
        return None
    when = date.fromisoformat(day)
    spoken = f"{when.day} {when.strftime('%B %Y')}"
    body = next((m.body for m in plan.meetings if m.date == day), None)
    return f"the {body} meeting of {spoken}" if body else f"the meeting of {spoken}"


def parse_deadline(value: str, as_of: date) -> date:
    deadline = date_given("--deadline", value)
    if deadline < as_of:
        raise UsageError(f"--deadline: {deadline.isoformat()} is before the round's as-of date {as_of.isoformat()}")
    return deadline


def check_round_id(round_id: str) -> None:
    problem = round_id_problem(round_id)
    if problem:
        raise UsageError(f"--round: {problem}")


def previewed(existing: ReturnsRound | None, change: RoundChange) -> ReturnsRound:
    """The round as a real run would record it, for a dry run (which writes nothing to the plan)."""
    from dataclasses import replace

    assert change.as_of is not None
    assert change.deadline is not None
    if existing is None:
        return ReturnsRound(id=change.round_id, as_of=change.as_of, deadline=change.deadline, meeting=change.meeting)
    moved = [change.deadline] if change.deadline != existing.current_deadline else []
    return replace(
        existing, revised_deadlines=[*existing.revised_deadlines, *moved], meeting=existing.meeting or change.meeting
    )


def not_yet_sent(mailing: Mailing, organisations: list[Organisation], resend: list[str]) -> list[Organisation]:
    """The organisations the round has not been sent to yet, and those named to send again."""
    check_resend(resend, [o.id for o in organisations])
    already = {m.organisation: m for m in mailing.round_.messages if m.kind == "send"}
    pending = []
    for organisation in organisations:
        sent = already.get(organisation.id)
        if sent is not None and organisation.id not in resend:
            print(f"{organisation.id}: already sent {sent.sent} ({sent.message_id}); --resend {organisation.id}"
                  " sends it again", file=sys.stderr)  # fmt: skip
            continue
        pending.append(organisation)
    return pending


def check_resend(resend: list[str], ids: list[str]) -> None:
    from cheplan.domain.words import suggestion

    for organisation_id in resend:
        if organisation_id not in ids:
            raise UsageError(
                f"--resend: no organisation {organisation_id!r} in this round{suggestion(organisation_id, ids)}"
            )
