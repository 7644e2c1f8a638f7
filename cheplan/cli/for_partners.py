"""Signatures of what partners receive and send back: returns workbooks and deadline calendars."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cheplan.cli.options import (
    AsOfOption,
    NoDefaultRegistersOption,
    PlanOption,
    RegisterOption,
    chosen_registers,
)
from cheplan.cli.root import app, finish

returns_app = typer.Typer(
    name="returns",
    help="Quarterly returns: workbooks partners fill in, and importing what they send back.",
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
app.add_typer(returns_app)


@returns_app.command("export")
def returns_export(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Directory to write the workbooks in.")],
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: Annotated[
        Optional[str],
        typer.Option(
            "--lead", "-l", metavar="ORG", help="Only this organisation (id, name or alias).", show_default=False
        ),
    ] = None,
    as_of: AsOfOption = None,
    round_id: Annotated[
        Optional[str],
        typer.Option(
            "--round",
            metavar="ID",
            help="The returns round the workbooks are for (recorded in the plan, carried by each workbook).",
            show_default=False,
        ),
    ] = None,
    deadline: Annotated[
        Optional[str],
        typer.Option("--deadline", metavar="DATE", help="The round's deadline, YYYY-MM-DD.", show_default=False),
    ] = None,
) -> None:
    """Write one .xlsx returns workbook per organisation (or only --lead's): its unfinished actions."""
    finish(
        "returns_export",
        out=out,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        lead=lead,
        as_of=as_of,
        round_id=round_id,
        deadline=deadline,
    )


class ReturnsFormat(StrEnum):
    text = "text"
    json = "json"


@returns_app.command("import")
def returns_import(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Returned workbooks (.xlsx), one or more.")],
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    apply: Annotated[bool, typer.Option("--apply", help="Record the entries (one atomic write of the plan).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Record conflicting rows anyway, as dated entries.")] = False,
    as_of: AsOfOption = None,
    format_name: Annotated[ReturnsFormat, typer.Option("--format", "-f", help="Output format.")] = ReturnsFormat.text,
) -> None:
    """Show what returned workbooks would record; with --apply, record it all or nothing.

    Problems are reported at FILE!SHEET!CELL. Exit 0 when clean, 1 on any problem or conflict
    (nothing written), 2 when a file cannot be read as a workbook.
    """
    finish(
        "returns_import",
        files=files,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        apply=apply,
        force=force,
        as_of=as_of,
        format_name=format_name.value,
    )


RoundOption = Annotated[
    str, typer.Option("--round", metavar="ID", help="The returns round, e.g. 2020-Q3 (recorded in the plan).")
]
MailLeadOption = Annotated[
    Optional[str],
    typer.Option("--lead", "-l", metavar="ORG", help="Only this organisation (id, name or alias).", show_default=False),
]
ResendOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--resend", metavar="ORG", help="Send again to this organisation (id; repeatable).", show_default=False
    ),
]
DryRunOption = Annotated[
    Optional[Path],
    typer.Option(
        "--dry-run",
        metavar="DIR",
        help="Write each message as an .eml file in DIR; send nothing, record nothing."
        " The default (DIR mail-ROUND) when no mail server is configured.",
        show_default=False,
    ),
]
MailConfigOption = Annotated[
    Optional[Path],
    typer.Option(
        "--mail-config",
        metavar="FILE",
        help="Mail settings (TOML); default ~/.config/cheplan/mail.toml. CHEPLAN_SMTP_* variables override it.",
        show_default=False,
    ),
]
InsecureOption = Annotated[
    bool, typer.Option("--insecure", help="Allow plain, unencrypted SMTP to a server on another machine.")
]


@returns_app.command("send")
def returns_send(
    round_id: RoundOption,
    deadline: Annotated[str, typer.Option("--deadline", metavar="DATE", help="When returns are due, YYYY-MM-DD.")],
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: MailLeadOption = None,
    meeting: Annotated[
        Optional[str],
        typer.Option("--meeting", metavar="TEXT", help="The meeting the returns feed.", show_default=False),
    ] = None,
    resend: ResendOption = None,
    dry_run: DryRunOption = None,
    mail_config: MailConfigOption = None,
    insecure: InsecureOption = False,
    as_of: AsOfOption = None,
) -> None:
    """Mail each organisation's returns workbook to its contacts, with the deadline; record each message.

    Organisations already sent the round are skipped (--resend ORG sends again). Exit 0 when all
    went, 1 naming those not sent (a re-run sends them), 2 on a usage error.
    """
    finish(
        "returns_send",
        round_id=round_id,
        deadline=deadline,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        lead=lead,
        meeting=meeting,
        resend=resend or [],
        dry_run=dry_run,
        mail_config=mail_config,
        insecure=insecure,
        as_of=as_of,
    )


@returns_app.command("chase")
def returns_chase(
    round_id: RoundOption,
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: MailLeadOption = None,
    resend: ResendOption = None,
    dry_run: DryRunOption = None,
    mail_config: MailConfigOption = None,
    insecure: InsecureOption = False,
    as_of: AsOfOption = None,
) -> None:
    """Remind each organisation whose return for the round is missing, with the same workbook again.

    Exit 0 when all went, 1 naming those not sent, 2 on a usage error.
    """
    finish(
        "returns_chase",
        round_id=round_id,
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        lead=lead,
        resend=resend or [],
        dry_run=dry_run,
        mail_config=mail_config,
        insecure=insecure,
        as_of=as_of,
    )


@app.command("calendar")
def calendar_feed(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: Annotated[
        Optional[str],
        typer.Option(
            "--lead", "-l", metavar="ORG", help="One organisation's feed (id, name or alias).", show_default=False
        ),
    ] = None,
    as_of: AsOfOption = None,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", metavar="FILE", help="Write here, not to stdout.", show_default=False),
    ] = None,
) -> None:
    """An iCalendar (.ics) feed: an all-day event on each unfinished action's effective end date."""
    finish(
        "calendar",
        plan=plan,
        registers=chosen_registers(register, no_default_registers),
        lead=lead,
        as_of=as_of,
        out=out,
    )
