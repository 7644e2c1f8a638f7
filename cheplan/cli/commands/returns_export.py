"""`cheplan returns export --out DIR`: one returns workbook per organisation (or the one named)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.commands.output import as_of_date
from cheplan.domain.errors import UsageError
from cheplan.domain.model import Organisation
from cheplan.domain.words import plural
from cheplan.editing.output_files import write_output
from cheplan.loading.load import load_plan
from cheplan.loading.locate import display_name, resolve_plan, resolve_registers
from cheplan.outputs.safe_text import visible
from cheplan.questions.actions import is_finished
from cheplan.questions.organisations import Directory, actions_of, directory_of, find_organisations
from cheplan.questions.returns import plan_digest


def chosen_organisations(directory: Directory, lead: str | None) -> list[Organisation]:
    """Every organisation, or the one `--lead` names (by id, name or alias; else a unique match)."""
    if lead is None:
        return list(directory.organisations)
    found = find_organisations(directory, lead)
    if len(found) == 1:
        return found
    if not found:
        from cheplan.domain.words import suggestion

        names = [o.id for o in directory.organisations]
        raise UsageError(f"--lead: no organisation matches {lead!r}{suggestion(lead, names)}")
    ids = ", ".join(o.id for o in found)
    raise UsageError(f"--lead: {lead!r} matches {len(found)} organisations ({ids}); give one id")


def workbook_name(organisation: Organisation) -> str:
    return f"returns-{organisation.id}.xlsx"


def run(*, out: Path, plan: Path | None, registers: list[Path] | None, lead: str | None, as_of: str | None) -> int:
    from cheplan.outputs.returns_workbook import ReturnRequest, returns_workbook

    on = as_of_date(as_of)
    loaded = load_plan(resolve_plan(plan), resolve_registers(registers))
    directory = directory_of(loaded.plan)
    organisations = chosen_organisations(directory, lead)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {display_name(out)} is a file, not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out: cannot create {display_name(out)} ({exc.strerror or exc})") from None
    digest = plan_digest(loaded.plan)
    written: set[str] = set()
    for organisation in organisations:
        if organisation.id in written:
            continue  # a directory derived from printed leads can repeat an id; its actions are already out
        written.add(organisation.id)
        actions = [a for a in actions_of(loaded.plan, directory, organisation.id) if not is_finished(a, on)]
        if not actions:
            print(f"{organisation.id}: no unfinished actions on {on.isoformat()}; no workbook written", file=sys.stderr)
            continue
        data = returns_workbook(ReturnRequest(loaded.plan, organisation, actions, on, digest))
        # The run keeps the cyclic collector off (cli.app); openpyxl's workbook is a web of
        # cycles, so each one would stay in memory until exit: collect it before the next.
        gc.collect(0)
        target = out / workbook_name(organisation)
        write_output(target, data, name=display_name(target))
        # The name is plan text: shown, never obeyed by the terminal.
        print(visible(f"{display_name(target)}: {organisation.name}, {plural(len(actions), 'action')}"))
    return EXIT_OK
