"""`cheplan returns send --round ID --deadline DATE`: each organisation's workbook, mailed to its contacts.

Organisations the round was already sent to are skipped (their messages are on record in
the plan's `rounds:`), unless named with `--resend`. Exit 0 when every message went (or was
written, with --dry-run), 1 naming those not sent, 2 on a usage error.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from cheplan.cli.options import (
    AsOfOption,
    DryRunOption,
    InsecureOption,
    LeadOption,
    MailConfigOption,
    MeetingOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    ResendOption,
    RoundOption,
    chosen_registers,
)


def returns_send(
    round_id: RoundOption,
    deadline: Annotated[str, typer.Option("--deadline", metavar="DATE", help="When returns are due, YYYY-MM-DD.")],
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: LeadOption = None,
    meeting: MeetingOption = None,
    resend: ResendOption = None,
    dry_run: DryRunOption = None,
    mail_config: MailConfigOption = None,
    insecure: InsecureOption = False,
    as_of: AsOfOption = None,
) -> int:
    """Mail each organisation's returns workbook to its contacts, with the deadline; record each message.

    Organisations already sent the round are skipped (--resend ORG sends again). Exit 0 when all
    went, 1 naming those not sent (a re-run sends them), 2 on a usage error.
    """
    from cheplan.cli.commands.output import as_of_date
    from cheplan.cli.commands.returns_export import chosen
    from cheplan.cli.commands.returns_mail import (
        Mailing,
        meeting_date,
        not_yet_sent,
        open_mailing_plan,
        parse_deadline,
        previewed,
        run_mailing,
    )
    from cheplan.domain.rounds import find_round
    from cheplan.editing.rounds import RoundChange, record_round

    registers = chosen_registers(register, no_default_registers)
    opened = open_mailing_plan(plan, registers, mail_config, dry_run, round_id, insecure=insecure)
    plan_path, register_paths, loaded, dry_run = opened.plan_path, opened.register_paths, opened.loaded, opened.dry_run
    existing = find_round(loaded.plan.rounds, round_id)
    on = date.fromisoformat(existing.as_of) if existing and as_of is None else as_of_date(as_of)
    due = parse_deadline(deadline, on).isoformat()
    change = RoundChange(round_id, as_of=on.isoformat(), deadline=due, meeting=meeting_date(meeting, loaded.plan))
    if dry_run is None:  # recorded first: proves the plan can be written before anything is sent
        round_ = record_round(plan_path, change, registers=register_paths, cache=True)
    else:
        round_ = previewed(existing, change)
    mailing = Mailing(plan_path, register_paths, loaded, round_, "send", opened.settings, dry_run)
    return run_mailing(mailing, not_yet_sent(mailing, chosen(mailing.directory, lead), resend or []))
