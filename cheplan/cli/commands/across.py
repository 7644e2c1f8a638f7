"""`trace` and `show` over several plan years (`--plan A --plan B`): the bodies both commands share."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.domain.errors import UsageError
from cheplan.outputs.formats import ListingFormat


def action_reference(value: str) -> tuple[str | None, int]:
    """`22` (in the one plan given) or `2020/21#22` (in the plan year named)."""
    from cheplan.domain.rollover import cross_plan_reference

    if value.isascii() and value.isdigit() and int(value) > 0:
        return None, int(value)
    found = cross_plan_reference(value)
    if found is None or found[1] < 1:
        raise UsageError(f"{value!r} is not an action: give its number (22), or a plan year and number (2020/21#22)")
    return found


def show_across(plans: list[Path], label: str | None, action_id: int, as_of: date, format_name: ListingFormat) -> int:
    from cheplan.cli.commands.output import emit
    from cheplan.loading.load import load_plan
    from cheplan.outputs.across_listings import history_listing
    from cheplan.questions.across_plans import history, labelled

    if action_id == 0:
        raise UsageError("across plan years, show one action: e.g. `cheplan show 2020/21#22 --plan A --plan B`")
    years = labelled([load_plan(path, [], cache=True).plan for path in plans])
    if label is None:
        if len(years) > 1:
            raise UsageError(f"with several plans, name the year too, e.g. {years[0].label}#{action_id}")
        label = years[0].label
    emit(history_listing(history(years, label, action_id, as_of), f"{label}#{action_id}"), format_name)
    return EXIT_OK


def one_plan(plans: list[Path] | None) -> Path | None:
    """The one --plan given to a command that takes it once or once per year (None: the default)."""
    return plans[0] if plans else None


def trace_across_years(
    plans: list[Path],
    registers: list[Path],
    as_of: date,
    format_name: ListingFormat,
    uncovered: bool,
    *one_plan_options: object,
) -> int:
    """`trace` with a --plan per year; RECOMMENDATION, --source and --fail-under are for one plan."""
    from cheplan.cli.commands.output import emit
    from cheplan.loading.load import load_plan
    from cheplan.outputs.across_listings import trace_across_listing
    from cheplan.questions.across_plans import labelled, trace_across

    if any(option is not None for option in one_plan_options):
        raise UsageError(
            "across plan years, trace lists every recommendation; RECOMMENDATION, --source and --fail-under"
            " are for one plan"
        )
    loaded = [load_plan(path, registers, cache=True) for path in plans]
    years = labelled([item.plan for item in loaded])
    found = trace_across(years, loaded[0].registers, as_of)
    emit(trace_across_listing(found, [y.label for y in years], uncovered_only=uncovered), format_name)
    return EXIT_OK
