"""`cheplan schema`: the committed JSON Schema files are current, help editors, and agree with
an independent validator (check-jsonschema) on the shipped data and on invalid examples."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cheplan.domain.problems import KeyPath
from cheplan.loading.load import Source, validate_sources
from tests.conftest import REPO, SHIPPED_PLAN, SHIPPED_REGISTER, RunCli, base_action, plan_data

SCHEMA_DIR = REPO / "schema"
REFRESH = (
    "regenerate with: cheplan schema plan > schema/plan.schema.json;"
    " cheplan schema register > schema/register.schema.json"
)


@pytest.mark.parametrize("kind", ["plan", "register"])
def test_committed_schema_is_exactly_what_cheplan_schema_prints(cli: RunCli, kind: str) -> None:
    result = cli("schema", kind)
    assert result.code == 0
    committed = (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed, f"schema/{kind}.schema.json is out of date; {REFRESH}"


def test_plan_is_the_default(cli: RunCli) -> None:
    assert cli("schema").stdout == cli("schema", "plan").stdout


def test_output_is_stable_sorted_indented_json_with_trailing_newline(cli: RunCli) -> None:
    text = cli("schema", "register").stdout
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_unknown_kind_is_a_usage_error(cli: RunCli) -> None:
    result = cli("schema", "budget")
    assert result.code == 2
    assert "plan, register" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("kind", ["plan", "register"])
def test_every_field_has_a_title_and_a_description_for_editors(kind: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    missing = []
    for name, definition in [("(root)", schema), *schema["$defs"].items()]:
        if not definition.get("description"):
            missing.append(name)
        for field, spec in definition["properties"].items():
            if not spec.get("description"):
                missing.append(f"{name}.{field}")
            if "$ref" not in spec and not spec.get("title"):
                missing.append(f"{name}.{field} (title)")
    assert missing == [], "add attribute docstrings in cheplan/model.py"


def test_plan_schema_forbids_unknown_fields_and_lists_statuses() -> None:
    schema = json.loads((SCHEMA_DIR / "plan.schema.json").read_text(encoding="utf-8"))
    action = schema["$defs"]["Action"]
    assert action["additionalProperties"] is False
    assert action["properties"]["status"]["enum"] == ["not_reported", "planned", "in_progress", "complete", "dropped"]


@pytest.mark.parametrize(("path", "kind"), [(SHIPPED_PLAN, "plan"), (SHIPPED_REGISTER, "register")])
def test_shipped_files_point_editors_at_the_committed_schema(path: Path, kind: str) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../schema/{kind}.schema.json"
    assert (path.parent / f"../schema/{kind}.schema.json").is_file()


# Cross-check with check-jsonschema. Every example reads the same under YAML 1.1 (PyYAML,
# which cheplan uses) and YAML 1.2 (ruamel, which check-jsonschema uses): no yes/no/on/off,
# no octal or sexagesimal numbers, no unquoted dates.


def _check_jsonschema() -> str:
    found = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    if not Path(found).exists():
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    return found


def with_action(**fields: Any) -> dict[str, Any]:
    return plan_data([base_action(1, **fields)])


def without(field: str) -> dict[str, Any]:
    action = base_action(1)
    del action[field]
    return plan_data([action])


def with_top(**fields: Any) -> dict[str, Any]:
    data = plan_data()
    data.update(fields)
    return data


INVALID: dict[str, dict[str, Any]] = {
    "unknown-field": with_action(priority="high"),
    "missing-end": without("end"),
    "printed-month": with_action(end="Sep-20"),
    "impossible-month": with_action(end="2020-13"),
    "status-typo": with_action(status="in-progress"),
    "id-as-text": with_action(id="3"),
    "id-zero": with_action(id=0),
    "no-lead": with_action(lead=[]),
    "empty-outcomes": with_action(outcomes=""),
    "lead-not-a-list": with_action(lead="Police"),
    "reference-with-spaces": with_action(recommendations=["SELR 4"]),
    "progress-without-status": with_action(progress=[{"date": "2020-10-01", "note": "done"}]),
    "schema-version-2": with_top(schema_version=2),
    "unknown-top-level": with_top(budget=1000),
}


def _json_path(path: KeyPath) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


def _cheplan_schema_paths(name: str, text: str) -> list[str]:
    validation = validate_sources(Source(text, name), [Source.read(SHIPPED_REGISTER)])
    schema_codes = {"schema", "schema-format", "unknown-field", "missing-field"}
    return [_json_path(p.path) for p in validation.problems if p.code in schema_codes]


@pytest.mark.external
def test_check_jsonschema_and_cheplan_agree(tmp_path: Path) -> None:
    executable = _check_jsonschema()
    files: dict[str, Path] = {}
    for name, data in {"valid": plan_data(), **INVALID}.items():
        files[name] = tmp_path / f"{name}.yaml"
        files[name].write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    files["shipped"] = SHIPPED_PLAN
    done = subprocess.run(
        [
            executable,
            "--output-format",
            "json",
            "--schemafile",
            str(SCHEMA_DIR / "plan.schema.json"),
            *map(str, files.values()),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    report = json.loads(done.stdout)
    assert report["parse_errors"] == []
    rejected: dict[str, list[str]] = {}
    for error in report["errors"]:
        rejected.setdefault(Path(error["filename"]).stem, []).append(error["path"])
    assert set(rejected) == set(INVALID), "check-jsonschema must reject exactly the invalid examples"
    for name in INVALID:
        ours = _cheplan_schema_paths(name, files[name].read_text(encoding="utf-8"))
        assert ours, f"{name}: cheplan found no schema problem"
        # Both point at the same place (check-jsonschema names the object, cheplan may name the key).
        for theirs in rejected[name]:
            assert any(path.startswith(theirs) for path in ours), (name, theirs, ours)


@pytest.mark.external
def test_check_jsonschema_accepts_the_shipped_register() -> None:
    done = subprocess.run(
        [_check_jsonschema(), "--schemafile", str(SCHEMA_DIR / "register.schema.json"), str(SHIPPED_REGISTER)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.external
def test_check_jsonschema_rejects_a_register_entry_with_an_unknown_field(tmp_path: Path) -> None:
    register = yaml.safe_load(SHIPPED_REGISTER.read_text(encoding="utf-8"))
    broken = copy.deepcopy(register)
    broken["recommendations"][0]["owner"] = "someone"
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(broken, sort_keys=False, allow_unicode=True), encoding="utf-8")
    done = subprocess.run(
        [_check_jsonschema(), "--schemafile", str(SCHEMA_DIR / "register.schema.json"), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert "owner" in done.stdout
