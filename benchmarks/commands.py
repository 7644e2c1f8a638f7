"""The commands measured, and the once-per-run counts of a many-file `validate`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import AS_OF, OUT, PYTHON_PASS, SHIPPED_PLAN, SHIPPED_REGISTER, Bench, cheplan_command
from plans import SIZES

COLD = {"CHEPLAN_NO_CACHE": "1"}
QUERY = "overdue"
QUERY_ARGS = ["--as-of", AS_OF]


def external_tools() -> dict[str, str]:
    found = {}
    for tool in ("check-jsonschema", "yamllint"):
        beside = Path(sys.executable).parent / tool
        path = str(beside) if beside.is_file() else shutil.which(tool)
        if path:
            found[tool] = path
    return found


def fill_cache(plan: Path, env: dict[str, str]) -> None:
    """Validate once, as a first run does, so "warm" is the normal case."""
    subprocess.run([*cheplan_command(), "validate", str(plan)], env=env, capture_output=True, check=False)


def measure_startup(bench: Bench, plan: Path) -> None:
    cheplan = cheplan_command()
    print(f"start-up (shipped plan; `{QUERY}` is the everyday query)")
    bench.measure("python -c pass", PYTHON_PASS)
    bench.measure("cheplan --help", [*cheplan, "--help"], paired=True)
    bench.measure("cheplan completion bash", [*cheplan, "completion", "bash"], paired=True)


def measure_sizes(bench: Bench, plans: dict[int, Path], schema: Path, tools: dict[str, str]) -> None:
    cheplan = cheplan_command()
    for count, plan in plans.items():
        fill_cache(plan, bench.env)
        if count != SIZES[0]:
            print(f"{count:,} actions")
        small = count == SIZES[0]
        query_cmd = [*cheplan, QUERY, "-p", str(plan), *QUERY_ARGS]
        bench.measure(f"{QUERY} table warm {count}", query_cmd, paired=small)
        bench.measure(f"{QUERY} table cold {count}", query_cmd, env=COLD, paired=small)
        for command, args in ((QUERY, QUERY_ARGS), ("actions", [])):
            json_cmd = [*cheplan, command, "-p", str(plan), "-f", "json", *args]
            bench.measure(f"{command} json warm {count}", json_cmd, paired=small)
            bench.measure(f"{command} json cold {count}", json_cmd, env=COLD)
        bench.measure(f"validate {count}", [*cheplan, "validate", str(plan)], env=COLD, paired=small)
        if "check-jsonschema" in tools:
            bench.measure(
                f"check-jsonschema {count}", [tools["check-jsonschema"], "--schemafile", str(schema), str(plan)]
            )
        if "yamllint" in tools:
            bench.measure(f"yamllint {count}", [tools["yamllint"], "-d", "relaxed", str(plan)])


def measure_short_actions(bench: Bench, plan: Path, count: int) -> None:
    print(f"{count:,} short actions")
    fill_cache(plan, bench.env)
    command = [*cheplan_command(), QUERY, "-p", str(plan), "-f", "json", *QUERY_ARGS]
    bench.measure(f"{QUERY} json warm short {count}", command)


def table_note_shown(plan: Path, env: dict[str, str]) -> bool:
    """A long table is cut at the default row limit and says how many rows are not shown."""
    command = [*cheplan_command(), QUERY, "-p", str(plan), *QUERY_ARGS]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return "more rows not shown" in done.stdout


# Counts, in one `cheplan validate` of several plans against one register, how often the
# register is parsed and how often cheplan's checking code is hashed (read for hashing:
# counted by reads of cheplan/loading/schema.py, which every fingerprint includes).
_COUNT_CHILD = """
import json, pathlib, sys
from cheplan.loading import load
from cheplan.cli.app import main

plans, register = sys.argv[1:-1], sys.argv[-1]
counts = {"parses": 0, "hashes": 0}
schema_module = pathlib.Path(load.__file__).with_name("schema.py").resolve()
real_parse, real_read = load.parse_yaml, pathlib.Path.read_bytes

def parse(text, name, *args, **kwargs):
    counts["parses"] += 1
    return real_parse(text, name, *args, **kwargs)

def read_bytes(path):
    if path.resolve() == schema_module:
        counts["hashes"] += 1
    return real_read(path)

load.parse_yaml, pathlib.Path.read_bytes = parse, read_bytes
code = main(["validate", *plans, "--register", register])
print(json.dumps({"code": code, "register_parses": counts["parses"] - len(plans), "hashes": counts["hashes"]}))
"""


def once_per_run_counts(env: dict[str, str], files: int = 5) -> dict[str, int]:
    """Register parses and code hashes in one `validate` of `files` plans (pre-commit's way)."""
    work = Path(tempfile.mkdtemp(prefix="many-", dir=OUT))
    try:
        plans = [str(shutil.copy(SHIPPED_PLAN, work / f"plan_{n}.yaml")) for n in range(files)]
        cache_env = {**env, "CHEPLAN_CACHE_DIR": str(work / "cache")}
        command = [sys.executable, "-c", _COUNT_CHILD, *plans, str(SHIPPED_REGISTER)]
        done = subprocess.run(command, capture_output=True, text=True, env=cache_env, check=True)
        counts: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"validate of {files} plans: register parsed {counts['register_parses']}×, code hashed {counts['hashes']}×")
    return counts
