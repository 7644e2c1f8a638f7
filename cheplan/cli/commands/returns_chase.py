"""`cheplan returns chase --round ID`: a reminder to each organisation whose return is missing.

Missing: the round was sent to it and no return of it has been imported for the round. The
reminder carries the same workbook again (the same round and as-of date, so the import still
matches it). An organisation already chased today is skipped unless named with --resend.
"""

from __future__ import annotations

import sys

from cheplan.cli.options import (
    DryRunOption,
    InsecureOption,
    LeadOption,
    MailConfigOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    ResendOption,
    RoundOption,
    chosen_registers,
)


def returns_chase(
    round_id: RoundOption,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: LeadOption = None,
    resend: ResendOption = None,
    dry_run: DryRunOption = None,
    mail_config: MailConfigOption = None,
    insecure: InsecureOption = False,
) -> int:
    """Remind each organisation whose return for the round is missing, with the same workbook again.

    Exit 0 when all went, 1 naming those not sent, 2 on a usage error.
    """
    from cheplan.cli.commands.returns_export import chosen
    from cheplan.cli.commands.returns_mail import (
        Mailing,
        clock,
        open_mailing_plan,
        run_mailing,
    )
    from cheplan.domain.errors import UsageError
    from cheplan.domain.rounds import find_round
    from cheplan.questions.rounds import chased_on, missing_returns

    resend = resend or []
    registers = chosen_registers(register, no_default_registers)
    opened = open_mailing_plan(plan, registers, mail_config, dry_run, round_id, insecure=insecure)
    loaded = opened.loaded
    round_ = find_round(loaded.plan.rounds, round_id)
    if round_ is None:
        known = ", ".join(r.id for r in loaded.plan.rounds) or "none yet"
        raise UsageError(f"--round: the plan has no round {round_id!r} (rounds: {known}); `returns send` starts one")
    today = clock().date()  # "already chased today" is about when messages went, not the round's as-of date
    mailing = Mailing(opened.plan_path, opened.register_paths, loaded, round_, "chase", opened.settings, opened.dry_run)
    missing = set(missing_returns(round_))
    pending = []
    for organisation in chosen(mailing.directory, lead):
        if organisation.id not in missing:
            continue
        if chased_on(round_, organisation.id, today) and organisation.id not in resend:
            print(f"{organisation.id}: already chased today; --resend {organisation.id} chases again", file=sys.stderr)
            continue
        pending.append(organisation)
    returned = len(round_.returned_by())
    print(f"round {round_id}: {returned} returned, {len(missing)} missing; chasing {len(pending)}", file=sys.stderr)
    return run_mailing(mailing, pending)
