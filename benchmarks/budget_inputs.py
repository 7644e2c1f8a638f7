"""The inputs benchmarks/budgets.py measures: what each is, how to write it, what cheplan should say."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHUNK = 100_000  # items written per write() call: the generator itself stays small


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    write: Callable[[TextIO], None] | None
    expect: str  # what cheplan should say, for the reader of the table
    code: int  # the exit code that says it: 0 valid, 1 problems found, 2 refused
    command: tuple[str, ...] = ("validate",)  # the file's path follows
    make: Callable[[Path], None] | None = None  # writes a binary input (a workbook) instead of `write`
    arguments: Callable[[Path], list[str]] | None = None  # the paths after the command; else the file's name
    peak_mib: int = 512
    seconds: float = 10.0


def _chunks(total: int, item: str) -> Iterator[str]:
    for start in range(0, total, CHUNK):
        yield item * min(CHUNK, total - start)


def flow_list(megabytes: int) -> Callable[[TextIO], None]:
    """`plan: [a, a, ...]`: three bytes a value, the cheapest way to write millions of them."""

    def write(out: TextIO) -> None:
        out.write("plan: [")
        for chunk in _chunks(megabytes * 1_000_000 // 3, "a, "):
            out.write(chunk)
        out.write("a]\n")

    return write


def unknown_keys(count: int, value: str = "0") -> Callable[[TextIO], None]:
    """`count` top-level keys no plan has: one schema problem each."""

    def write(out: TextIO) -> None:
        for start in range(0, count, CHUNK):
            out.write("".join(f"k{i:x}: {value}\n" for i in range(start, min(start + CHUNK, count))))

    return write


def deep_flow(megabytes: int) -> Callable[[TextIO], None]:
    def write(out: TextIO) -> None:
        out.write("plan: ")
        for chunk in _chunks(megabytes * 1_000_000, "["):
            out.write(chunk)
        out.write("\n")

    return write


def deep_block(levels: int) -> Callable[[TextIO], None]:
    def write(out: TextIO) -> None:
        for level in range(levels):
            out.write(" " * level + "a:\n")
        out.write(" " * levels + "b\n")

    return write


def _plans() -> Any:
    """benchmarks/plans.py, the generator of run.py's synthetic plans."""
    sys.path.insert(0, str(HERE))
    try:
        import plans
    finally:
        sys.path.remove(str(HERE))
    return plans


def synthetic_plan(actions: int) -> Callable[[TextIO], None]:
    """A plan of the shipped style, `actions` long."""

    def write(out: TextIO) -> None:
        out.write(_plans().synthetic_plan(actions))

    return write


def short_plan(actions: int, change: str = "") -> Callable[[TextIO], None]:
    """`actions` one-line actions (run.py's 100,000-action plan). `change`: "typo" adds one
    unknown key in the middle; "theme" gives every action a theme the plan does not have."""

    def write(out: TextIO) -> None:
        text = _plans().short_actions_plan(actions)
        if change == "typo":
            middle = f"    action: Action {actions // 2}\n"
            text = text.replace(middle, middle + "    colour: blue\n", 1)
        elif change == "theme":
            text = text.replace("    theme: governance\n", "    theme: nonesuch\n")
        out.write(text)

    return write


def flow_of(key: str, item: str, count: int) -> Callable[[TextIO], None]:
    """`key: [item, item, ...]`, `count` items."""

    def write(out: TextIO) -> None:
        out.write(f"{key}: [")
        for chunk in _chunks(count - 1, f"{item}, "):
            out.write(chunk)
        out.write(f"{item}]\n")

    return write


def max_nodes() -> int:
    text = (REPO / "cheplan" / "domain" / "caps.py").read_text(encoding="utf-8")
    found = re.search(r"^MAX_NODES = ([0-9_]+)$", text, re.MULTILINE)
    if found is None:
        raise SystemExit("MAX_NODES not found in cheplan/domain/caps.py")
    return int(found.group(1).replace("_", ""))


def cases() -> list[Case]:
    return [*_at_the_budget(max_nodes()), *_plans_near_the_budget(), *_workbooks()]


def _workbook_module() -> Any:
    """benchmarks/budget_workbooks.py, the maker of the returns workbooks."""
    sys.path.insert(0, str(HERE))
    try:
        import budget_workbooks
    finally:
        sys.path.remove(str(HERE))
    return budget_workbooks


def _import_command() -> tuple[str, ...]:
    books = _workbook_module()
    return ("returns", "import", "--plan", str(books.PLAN), "--as-of", books.AS_OF)


def _workbooks() -> list[Case]:
    """Returns workbooks within every byte cap: bombs refused, the element budget read, 256 MiB and
    5 s each; then the imports of many workbooks."""
    books = _workbook_module()
    budget = f"{books.MAX_ELEMENTS:,} elements"
    refused = "refused, the part named"
    rows = [
        ("2,600,000 `<xf/>` styles (15 MiB, ratio < 200)", "xf", 2_600_000, refused, 2),
        ("2,000,000 `<font/>` styles", "font", 2_000_000, refused, 2),
        ("900,000 shared strings", "string", 1_800_000, refused, 2),
        ("300,000 defined names", "definedName", 300_000, refused, 2),
        ("one `<xf>` with 1,500,000 attributes", "attribute", 1_500_000, refused, 2),
        ("a cell in column GR on each of 5,000 rows", "cell", 5_000, "refused at 200,000 cells", 2),
        (
            "31 cells on each of 5,000 rows (315,000 elements: the worksheets' budget at the 5,000-row cap)",
            "sheet",
            5_000,
            "read, each row a problem",
            1,
        ),
        (f"`<xf/>` styles up to the budget ({budget})", "xf", None, "read", 0),
        (f"`<font/>` styles up to the budget ({budget})", "font", None, "read", 0),
        (f"shared strings up to the budget ({budget})", "string", None, "read", 0),
        (f"defined names up to the budget ({budget})", "definedName", None, "read", 0),
    ]
    found = [
        Case(
            f"workbook: {name}",
            f"budget-workbook-{kind}-{'budget' if count is None else count}.xlsx",
            None,
            expect,
            code,
            _import_command(),
            make=books.padded(kind, count),
            peak_mib=books.WORKBOOK_PEAK_MIB,
            seconds=books.WORKBOOK_SECONDS,
        )
        for name, kind, count, expect, code in rows
    ]
    return [*found, *_imports_of_many()]


def _imports_of_many() -> list[Case]:
    """As many workbooks as one import takes, plain and with every row typed in at length: 512 MiB."""
    books = _workbook_module()
    files = books.MAX_IMPORT_FILES
    return [
        Case(
            f"`returns import` of {files} workbooks (the most one import takes)",
            "budget-import-many.xlsx",
            None,
            "nothing new to record",
            0,
            _import_command(),
            make=books.many_files(files),
            arguments=books.many_files_arguments(files),
        ),
        Case(
            f"the same, every row typed in with a 90,000-character note ({files} workbooks)",
            "budget-import-many-notes.xlsx",
            None,
            "would record, once each",
            0,
            _import_command(),
            make=books.many_files(files, note_chars=90_000),
            arguments=books.many_files_arguments(files),
        ),
    ]


def _at_the_budget(budget: int) -> list[Case]:
    """The cheapest values to write and the costliest problems, just under and over the budget."""
    # A mapping, its key and a flow list hold three values; each unknown key two (key, value).
    items, keys = budget - 3, (budget - 1) // 2
    capped = "1,000 problems, then 'and N more'"
    return [
        Case("`plan: [a, a, ...]`, 10 MB", "budget-flow-list-10mb.yaml", flow_list(10), "yaml-too-big", 1),
        Case("`plan: [a, a, ...]`, 60 MB", "budget-flow-list-60mb.yaml", flow_list(60), "yaml-too-big", 1),
        Case(
            f"`plan: [a, a, ...]`, {budget:,} values (the budget)",
            "budget-flow-list-at-budget.yaml",
            flow_of("plan", "a", items),
            "schema: `plan` is not a mapping",
            1,
        ),
        Case("`actions: [a, a, ...]`, the budget", "budget-actions-a.yaml", flow_of("actions", "a", items), capped, 1),
        Case(
            "`actions: [{}, {}, ...]`, the budget",
            "budget-actions-empty.yaml",
            flow_of("actions", "{}", items),
            capped,
            1,
        ),
        Case("3,000,000 unknown keys", "budget-unknown-keys-3m.yaml", unknown_keys(3_000_000), "yaml-too-big", 1),
        Case(
            f"{keys:,} unknown keys (just under the budget)", "budget-unknown-keys.yaml", unknown_keys(keys), capped, 1
        ),
        Case(
            f"{keys:,} unknown keys, each an unquoted date",
            "budget-unquoted-dates.yaml",
            unknown_keys(keys, "2020-01-01"),
            capped,
            1,
        ),
        Case("`[` nested 50,000,000 deep", "budget-deep-flow-50mb.yaml", deep_flow(50), "yaml-depth", 1),
        Case("block mappings nested 5,000 deep", "budget-deep-block-5k.yaml", deep_block(5_000), "yaml-depth", 1),
    ]


def _plans_near_the_budget() -> list[Case]:
    """Plans of the shipped style and of one-line actions, valid up to the budget and past it."""
    query = ("overdue", "-f", "json", "--as-of", "2021-04-01", "-p")
    short = short_plan(100_000)
    return [
        Case("10,000-action plan (9 MB)", "budget-plan-10k.yaml", synthetic_plan(10_000), "valid", 0),
        Case("60,000-action plan (54 MB, 1.9M values)", "budget-plan-60k.yaml", synthetic_plan(60_000), "valid", 0),
        Case("100,000 one-line actions (20 MB, 1.9M values)", "budget-short-100k.yaml", short, "valid", 0),
        Case(
            "the same, one unknown field in the middle",
            "budget-short-100k-typo.yaml",
            short_plan(100_000, "typo"),
            "1 problem",
            1,
        ),
        Case(
            "the same, every action's theme unknown",
            "budget-short-100k-themes.yaml",
            short_plan(100_000, "theme"),
            "1,000 problems, then 'and N more'",
            1,
        ),
        Case("the same, `overdue -f json`, first run", "budget-short-100k.yaml", short, "100,000 rows", 0, query),
        Case(
            "60,000-action plan, `overdue -f json`, first run",
            "budget-plan-60k.yaml",
            synthetic_plan(60_000),
            "60,000 rows",
            0,
            query,
        ),
        Case("300,000 one-line actions (62 MB)", "budget-short-300k.yaml", short_plan(300_000), "yaml-too-big", 1),
        *__import__("budget_commands").other_commands(short, synthetic_plan(10_000)),
        *__import__("budget_listings").listing_commands(),
        *__import__("budget_writes").plan_writes(),  # the commands that write a plan
        *__import__("budget_imports").returns_imports(),  # NPS's 10,000-row return into 100,000 actions
        *__import__("budget_send").send_cases(),  # returns send to a real SMTP server
        *__import__("budget_shares").share_commands(),  # the "All" fan-out at MAX_SHARES
    ]
