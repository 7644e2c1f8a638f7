"""`cheplan schema [plan|register]`: the JSON Schema of the files, for editors and other validators.

The output is stable (sorted keys, two-space indent, trailing newline), so the copies committed
in schema/ (and shipped in the wheel as cheplan/schema/) can be checked for freshness byte for
byte. `--out FILE` writes it where another repository's plan can point its modeline at it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cheplan.cli.commands import EXIT_OK
from cheplan.cli.options import OutFileOption
from cheplan.domain.errors import UsageError

KINDS = ("plan", "register")


def schema(
    kind: Annotated[str, typer.Argument(metavar="[plan|register]", help="Which file's schema.")] = "plan",
    out: OutFileOption = None,
) -> int:
    """Print the JSON Schema of plan (or register) files, for editors and other validators."""
    from cheplan.domain.filesystem.out_files import write_output
    from cheplan.loading.locate import display_name

    text = schema_text(kind)
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    name = display_name(out)
    write_output(out, text.encode("utf-8"), name=name)
    print(
        f"cheplan: wrote {name}; for checks as you type, start the {kind} file with the line"
        f" `# yaml-language-server: $schema=PATH`, PATH leading from that file to {display_name(Path(out.name))}",
        file=sys.stderr,
    )
    return EXIT_OK


def schema_text(kind: str) -> str:
    import json

    from cheplan.domain.model import Plan
    from cheplan.domain.register import Register
    from cheplan.loading.schema import json_schema

    if kind not in KINDS:
        raise UsageError(f"unknown schema {kind!r}: choose one of {', '.join(KINDS)}")
    found = json_schema(Plan if kind == "plan" else Register)
    return json.dumps(found, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
