"""Hostile and malformed files: each ends in exit 1 or 2 with a clear message naming the file
(and the line, where there is one), never a traceback, quickly and in bounded memory.

The corpus is in tests/loading/hostile/ (see its README); inputs too big for the repository are made
here at run time. Each case runs the real command line in a child process with a 1 GiB
address-space limit and a timeout ten times what it needs, so a blow-up fails the test
instead of stalling or exhausting the machine. The yaml-test-suite inputs (tests/loading/yaml_test_suite,
none of them a plan) run in-process, where they are fast.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from cheplan.loading import cache
from cheplan.loading.load import load_plan
from cheplan.loading.problem_cap import MAX_PROBLEMS_PER_FILE
from cheplan.loading.safe_yaml import MAX_FILE_BYTES
from tests.conftest import SHIPPED_PLAN, SHIPPED_REGISTER, RunCli

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "hostile"
SUITE_CASES = sorted((HERE / "yaml_test_suite" / "cases").glob("*.yaml"))
MEMORY_LIMIT = 1 << 30
TIMEOUT_SECONDS = 10  # every case takes well under a second

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses resource limits (POSIX)")


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def validate(path: Path, *extra: str) -> Outcome:
    """`cheplan validate PATH` in a child process, run from the file's folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHEPLAN_") and k != "GITHUB_ACTIONS"}
    env["CHEPLAN_NO_CACHE"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "cheplan", "validate", path.name, *extra],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT_SECONDS,
        preexec_fn=_limit_memory,
        env=env,
        cwd=path.parent,
        check=False,
    )
    outcome = Outcome(done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in outcome.output, outcome.output
    assert "internal error" not in outcome.output, outcome.output
    return outcome


def assert_reported(outcome: Outcome, name: str, code: int, message: str, line: int | None) -> None:
    assert outcome.code == code, outcome.output
    assert re.search(message, outcome.output), outcome.output
    if code == 2:
        assert outcome.stderr.startswith(f"cheplan: error: {name}"), outcome.stderr
    else:
        problems = outcome.stdout.splitlines()
        assert problems, outcome.output
        assert all(re.match(rf"{re.escape(name)}:\d+:\d+: ", p) for p in problems), outcome.stdout
    if line is not None:
        assert f"{name}:{line}:" in outcome.output, outcome.output


# (file in tests/loading/hostile, exit code, what the message says, the line it names)
CASES = [
    # Which layer refuses deep nesting (PyYAML's scanner or cheplan's budget) depends on the
    # PyYAML version; the promise is a clean refusal at a line, whichever refuses.
    ("deep_flow_10k.yaml", 1, r"(?i)nest", 1),
    ("deep_block_100.yaml", 1, r"\[yaml-depth\]", 65),
    ("deep_in_plan_value.yaml", 1, r"\[yaml-depth\]", 2),
    ("billion_laughs.yaml", 1, r"alias bomb.*\[yaml-alias\]", 6),
    ("recursive_alias.yaml", 1, r"alias \*p refers to a collection that contains it", 4),
    ("recursive_alias_flow.yaml", 1, r"contains it.*\[yaml-alias\]", 1),
    ("undefined_alias.yaml", 1, r"alias \*nowhere refers to no anchor", 2),
    ("merge_key.yaml", 1, r"merge keys.*\[yaml-merge\]", 3),
    ("nul_byte.yaml", 2, r"NUL byte in file; this is not a text file", 3),
    ("binary.yaml", 2, r"NUL byte", 1),
    ("latin1.yaml", 2, r"not valid UTF-8 \(byte 0xe9\)", 3),
    ("utf16le_bom.yaml", 2, r"encoded as UTF-16.*Save it as UTF-8", None),
    ("utf16be_bom.yaml", 2, r"encoded as UTF-16", None),
    ("utf32le_bom.yaml", 2, r"UTF-32", None),
    ("utf16le_no_bom.yaml", 2, r"looks like UTF-16 without a byte-order mark", 1),
    ("utf16be_no_bom.yaml", 2, r"looks like UTF-16 without a byte-order mark", 1),
    ("crlf_invalid.yaml", 1, r"'2020-13' is not a month.*\[schema-format\]", 38),
    ("multiple_documents.yaml", 1, r"one YAML document.*\[yaml-documents\]", 41),
    ("document_end_then_text.yaml", 1, r"\[yaml-syntax\]", 3),
    ("tab_indentation.yaml", 1, r"a tab: YAML indents with spaces only", 3),
    ("python_object_apply.yaml", 1, r"unsafe tag .*python/object/apply.* refused", 2),
    ("python_name.yaml", 1, r"unsafe tag .*python/name", 2),
    ("python_object_new.yaml", 1, r"unsafe tag .*python/object/new", 1),
    ("custom_tag.yaml", 1, r"tag '!custom' is not allowed", 1),
    ("binary_tag.yaml", 1, r"binary' is not allowed", 2),
    ("non_string_keys.yaml", 1, r"mapping key 1 is not text.*\[yaml-key-type\]", 1),
    ("complex_key.yaml", 1, r"\[yaml-complex-key\]", 1),
    ("duplicate_top_level_key.yaml", 1, r"duplicate key 'schema_version' \(first defined at line 2\)", 41),
    ("empty.yaml", 1, r"holds no YAML document.*\[yaml-empty\]", 1),
    ("only_comment.yaml", 1, r"\[yaml-empty\]", 1),
    ("only_whitespace.yaml", 1, r"\[yaml-empty\]", 1),
    ("only_document_marker.yaml", 1, r"document is empty.*\[yaml-empty\]", 2),
    ("null_document.yaml", 1, r"\[yaml-empty\]", 1),
    ("directive_only.yaml", 1, r"\[yaml-empty\]", 3),
    ("top_level_list.yaml", 1, r"expected a mapping of fields \(key: value\), got a list", 1),
    ("top_level_scalar.yaml", 1, r"got text 'just some text'", 1),
    ("top_level_number.yaml", 1, r"got the number 42", 1),
    ("control_character.yaml", 1, r"U\+0007", 3),
    ("unterminated_quote.yaml", 1, r"malformed YAML.*quoted scalar", 4),
    ("unterminated_flow.yaml", 1, r"malformed YAML.*flow sequence", 3),
    ("bad_escape.yaml", 1, r"unknown escape character", 3),
    ("huge_integer.yaml", 1, r"is not a valid int.*\[yaml-scalar\]", 21),
    ("invalid_integer_tag.yaml", 1, r"'one' is not a valid int", 1),
    ("nan_and_inf.yaml", 1, r"actions\[1\]\.id: expected a whole number, got the number inf", 31),
    ("long_line.yaml", 1, r"missing required field 'themes'", 1),
]


def test_every_corpus_file_is_covered() -> None:
    listed = {name for name, *_ in CASES} | {"valid_small.yaml", *VALID}
    assert listed == {p.name for p in HOSTILE.glob("*.yaml")}


@pytest.mark.parametrize(("name", "code", "message", "line"), CASES, ids=[c[0] for c in CASES])
def test_hostile_plan_is_refused_clearly(name: str, code: int, message: str, line: int | None) -> None:
    assert_reported(validate(HOSTILE / name), name, code, message, line)


@pytest.mark.parametrize("name", ["billion_laughs.yaml", "nul_byte.yaml", "python_object_apply.yaml"])
def test_a_hostile_register_is_refused_like_a_plan(name: str, tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_bytes((HOSTILE / "valid_small.yaml").read_bytes())
    (tmp_path / name).write_bytes((HOSTILE / name).read_bytes())
    outcome = validate(tmp_path / "plan.yaml", "--register", name)
    [code] = [code for case, code, *_ in CASES if case == name]
    assert outcome.code == code
    assert name in outcome.output


# Valid plans in other clothes: a UTF-8 byte-order mark, CRLF or old-Mac CR line endings.
VALID = ["crlf_valid.yaml", "utf8_bom_valid.yaml", "cr_only.yaml"]


@pytest.mark.parametrize("name", ["valid_small.yaml", *VALID])
def test_valid_plan_with_unusual_encoding_or_line_endings_validates(name: str) -> None:
    outcome = validate(HOSTILE / name)
    assert outcome.code == 0, outcome.output
    assert "2 actions, 0 problems" in outcome.stderr


def test_crlf_gives_the_same_lines_and_columns_as_lf(tmp_path: Path) -> None:
    lf = tmp_path / "lf.yaml"
    lf.write_bytes((HOSTILE / "crlf_invalid.yaml").read_bytes().replace(b"\r\n", b"\n"))
    crlf = validate(HOSTILE / "crlf_invalid.yaml")
    plain = validate(lf)
    assert crlf.code == plain.code == 1
    assert crlf.stdout.replace("crlf_invalid.yaml", "lf.yaml") == plain.stdout


# --- inputs too big for the repository, made at run time ---------------------------------


def test_nesting_100k_levels_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert_reported(validate(path), path.name, 1, r"(?i)nest", 1)


def test_a_50_mb_value(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("schema_version: 1\nplan: " + "x" * 50_000_000 + "\n", encoding="utf-8")
    assert_reported(validate(path), path.name, 1, r"a value of 50,000,000 characters.*\[yaml-too-long\]", 2)


def test_a_1_mb_key(tmp_path: Path) -> None:
    path = tmp_path / "key.yaml"
    path.write_text("k" * 1_000_000 + ": 1\n", encoding="utf-8")
    assert_reported(validate(path), path.name, 1, r"\[yaml-too-long\]", 1)


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as out:
        out.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    assert_reported(validate(path), path.name, 2, r"cheplan reads plans up to", None)


def test_hundreds_of_thousands_of_aliases(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text("a: &x [1, 2, 3, 4, 5, 6, 7, 8]\nb: [" + ", ".join(["*x"] * 200_000) + "]\n", encoding="utf-8")
    assert_reported(validate(path), path.name, 1, r"alias bomb", 2)


def test_50k_unknown_keys_are_reported_up_to_the_cap_then_counted(tmp_path: Path) -> None:
    path = tmp_path / "wide.yaml"
    path.write_text("".join(f"k{i}: {i}\n" for i in range(50_000)), encoding="utf-8")
    outcome = validate(path)
    assert_reported(outcome, path.name, 1, r"unknown field 'k0'", 1)
    lines = outcome.stdout.splitlines()
    assert len(lines) == MAX_PROBLEMS_PER_FILE + 1
    # 50,000 unknown fields and 4 missing ones, less the 1,000 listed.
    assert lines[-1].endswith(
        ": and 49,004 more problems in this file, not listed: fix the ones above, then validate again [more-problems]"
    )
    assert "unknown field 'k49999'" not in outcome.stdout
    # The summary counts the problems, not the lines: the "and N more" line stands for 49,004.
    assert outcome.stderr.splitlines()[-1] == "plan not readable as a plan, 50,004 problems"


# --- every input of the YAML test suite, in-process ---------------------------------------


@pytest.mark.parametrize("case", SUITE_CASES, ids=[p.stem for p in SUITE_CASES])
def test_yaml_test_suite_input_is_refused_as_a_plan(case: Path, cli: RunCli) -> None:
    result = cli("validate", case)
    # Text that is not YAML, or YAML that is not a plan: problems in the file, at their place.
    assert result.code == 1, result.stdout + result.stderr
    assert "internal error" not in result.stderr
    assert case.name in result.stdout + result.stderr


def test_the_yaml_test_suite_is_complete() -> None:
    assert len(SUITE_CASES) == 402
    assert (HERE / "yaml_test_suite" / "LICENSE").is_file()


# --- a damaged validation cache only costs speed ------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [b"", b"\x00\xff garbage", b"{}", b"[1, 2, 3]", b'[{"schema_version": 1}, {}]', b"[" * 100_000],
    ids=["empty", "binary", "object", "wrong-length", "wrong-shape", "deep"],
)
def test_a_damaged_cache_entry_falls_back_to_validating(
    entry: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHEPLAN_NO_CACHE")
    monkeypatch.setenv("CHEPLAN_CACHE_DIR", str(tmp_path))
    expected = load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER], cache=True)
    [stored] = tmp_path.glob("r-*")
    # Authenticated with the user's own key, so it is the shape check that must catch it.
    damaged = cache._mac((tmp_path / "key").read_bytes(), stored.name[2:], entry) + b"\n" + entry
    stored.write_bytes(damaged)
    assert load_plan(SHIPPED_PLAN, [SHIPPED_REGISTER], cache=True) == expected
    assert stored.read_bytes() != damaged  # validated again, and the entry rewritten


def test_the_cache_keeps_only_the_newest_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHEPLAN_NO_CACHE")
    monkeypatch.setenv("CHEPLAN_CACHE_DIR", str(tmp_path))
    for number in range(cache.MAX_ENTRIES + 5):
        cache.remember_valid(f"{number:064x}", [{"n": number}])
    assert len(list(tmp_path.glob("r-*"))) == cache.MAX_ENTRIES
