"""`cheplan calendar`: unfinished actions' deadlines as an iCalendar feed, for everyone or one partner."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import (
    AsOfOption,
    LeadOption,
    NoDefaultRegistersOption,
    OutFileOption,
    PlanOption,
    RegisterOption,
    chosen_registers,
)


def calendar(
    plan: PlanOption = None,
    register: RegisterOption = None,
    no_default_registers: NoDefaultRegistersOption = False,
    lead: LeadOption = None,
    as_of: AsOfOption = None,
    out: OutFileOption = None,
    remind: Annotated[
        Optional[list[int]],
        typer.Option(
            "--remind",
            metavar="DAYS",
            min=0,
            help="A reminder this many days before each event (repeatable; default 7 and 1).",
            show_default=False,
        ),
    ] = None,
    no_reminders: Annotated[bool, typer.Option("--no-reminders", help="No reminders at all.")] = False,
) -> int:
    """An iCalendar (.ics) feed: each unfinished action's effective end, each returns round's
    deadline and each board meeting, as all-day events with reminders."""
    from cheplan.cli.commands.output import as_of_date, refuse_input_as_output, refuse_over_cap
    from cheplan.domain import caps
    from cheplan.domain.filesystem.out_files import write_output
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
    from cheplan.outputs.calendar import DEFAULT_REMINDERS, Feed, calendar_feed
    from cheplan.questions.actions import is_finished
    from cheplan.questions.organisations import actions_of, directory_of, require_one_organisation

    on = as_of_date(as_of)
    registers = resolve_registers(chosen_registers(register, no_default_registers))
    loaded = load_plan(resolve_plan(plan), registers, cache=True)
    directory = directory_of(loaded.plan)
    organisation = require_one_organisation(directory, lead) if lead is not None else None
    owned = actions_of(loaded.plan, directory, organisation.id) if organisation else loaded.plan.actions
    actions = [action for action in owned if not is_finished(action, on)]
    refuse_over_cap(
        len(actions), caps.MAX_CALENDAR_EVENTS, "deadlines", "one calendar feed holds",
        "make one feed per organisation with --lead ORG",
    )  # fmt: skip
    reminders = () if no_reminders else tuple(remind) if remind else DEFAULT_REMINDERS
    meetings = list(loaded.plan.meetings)
    feed = Feed(loaded.plan, directory, actions, on, organisation, reminders, list(loaded.plan.rounds), meetings)
    data = calendar_feed(feed)
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return EXIT_OK
    refuse_input_as_output(out, [resolve_plan(plan), *registers])
    write_output(out, data, name=display_name(out))
    events = len(actions) + len(feed.rounds) + len(meetings)
    print(f"{display_name(out)}: {events} event{'' if events == 1 else 's'}", file=sys.stderr)
    return EXIT_OK
