"""`cheplan schema [plan|register]`: the JSON Schema of the files, for editors and other validators.

The output is stable (sorted keys, two-space indent, trailing newline), so the copies committed
in schema/ can be checked for freshness byte for byte.
"""

from __future__ import annotations

import json
import sys

from cheplan.cli.commands import EXIT_OK
from cheplan.domain.errors import UsageError

KINDS = ("plan", "register")


def schema_text(kind: str) -> str:
    from cheplan.domain.model import Plan
    from cheplan.domain.register import Register
    from cheplan.loading.schema import json_schema

    if kind not in KINDS:
        raise UsageError(f"unknown schema {kind!r}: choose one of {', '.join(KINDS)}")
    schema = json_schema(Plan if kind == "plan" else Register)
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def run(*, kind: str) -> int:
    sys.stdout.write(schema_text(kind))
    sys.stdout.flush()
    return EXIT_OK
