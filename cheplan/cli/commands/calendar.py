"""`cheplan calendar`: unfinished actions' deadlines as an iCalendar feed, for everyone or one partner."""

from __future__ import annotations

import sys

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
) -> int:
    """An iCalendar (.ics) feed: an all-day event on each unfinished action's effective end date."""
    from cheplan.cli.commands.output import as_of_date, refuse_input_as_output
    from cheplan.domain.filesystem.out_files import write_output
    from cheplan.loading.load import load_plan
    from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
    from cheplan.outputs.calendar import Feed, calendar_feed
    from cheplan.questions.actions import is_finished
    from cheplan.questions.organisations import actions_of, directory_of, require_one_organisation

    on = as_of_date(as_of)
    registers = resolve_registers(chosen_registers(register, no_default_registers))
    loaded = load_plan(resolve_plan(plan), registers, cache=True)
    directory = directory_of(loaded.plan)
    organisation = require_one_organisation(directory, lead) if lead is not None else None
    owned = actions_of(loaded.plan, directory, organisation.id) if organisation else loaded.plan.actions
    actions = [action for action in owned if not is_finished(action, on)]
    data = calendar_feed(Feed(loaded.plan, directory, actions, on, organisation))
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return EXIT_OK
    refuse_input_as_output(out, [resolve_plan(plan), *registers])
    write_output(out, data, name=display_name(out))
    print(f"{display_name(out)}: {len(actions)} deadline{'' if len(actions) == 1 else 's'}", file=sys.stderr)
    return EXIT_OK
