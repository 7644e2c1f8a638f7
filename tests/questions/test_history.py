"""`cheplan validate PLAN --against BASE`: the edit rules, on temporary git repositories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import RunCli, base_action, plan_data
from tests.gitrepo import GitRepo, requires_git

pytestmark = requires_git

BEFORE = [
    base_action(1, end="2020-09", recommendations=["SELR-1", "SELR-4"]),
    base_action(2, recommendations=["SELR-2"]),
    base_action(3, recommendations=["SELR-3"]),
]


def dump(actions: list[dict[str, Any]]) -> str:
    return yaml.safe_dump(plan_data(actions), sort_keys=False, allow_unicode=True)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write("plan.yaml", dump(BEFORE))
    repo.commit("plan")
    return repo


def edit(repo: GitRepo, actions: list[dict[str, Any]]) -> Path:
    return repo.write("plan.yaml", dump(actions))


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line containing `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def problems(cli: RunCli, path: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = cli("validate", path, "--against", "HEAD", "--format", "json", *args)
    return result.code, json.loads(result.stdout)


def test_an_unchanged_plan_passes(cli: RunCli, repo: GitRepo) -> None:
    assert problems(cli, repo.root / "plan.yaml") == (0, [])


def test_deleting_an_action_is_an_error_at_the_actions_key(cli: RunCli, repo: GitRepo) -> None:
    path = edit(repo, [BEFORE[0], BEFORE[2]])
    code, found = problems(cli, path)
    assert code == 1
    (problem,) = found
    assert problem["code"] == "action-deleted"
    assert problem["severity"] == "error"
    assert (problem["line"], problem["column"]) == (line_of(path, "actions:"), 1)
    assert "action 2 was deleted" in problem["message"]
    assert "dropped" in problem["message"]


def test_recording_the_action_as_dropped_instead_passes(cli: RunCli, repo: GitRepo) -> None:
    dropped = base_action(
        2,
        recommendations=["SELR-2"],
        status="dropped",
        progress=[{"date": "2020-11-02", "status": "dropped", "note": "Merged into action 3."}],
    )
    assert problems(cli, edit(repo, [BEFORE[0], dropped, BEFORE[2]])) == (0, [])


def test_unlinking_a_recommendation_is_a_warning_at_the_action(cli: RunCli, repo: GitRepo) -> None:
    path = edit(repo, [base_action(1, end="2020-09", recommendations=["SELR-1"]), *BEFORE[1:]])
    code, found = problems(cli, path)
    assert code == 0
    (problem,) = found
    assert problem["code"] == "recommendation-unlinked"
    assert problem["severity"] == "warning"
    assert "action 1 no longer cites SELR-4" in problem["message"]
    assert problem["line"] == line_of(path, "- SELR-1")  # the first item of action 1's list


def test_moving_the_end_month_later_is_a_warning_at_the_end_field(cli: RunCli, repo: GitRepo) -> None:
    path = edit(repo, [BEFORE[0], base_action(2, recommendations=["SELR-2"], end="2021-06"), BEFORE[2]])
    code, found = problems(cli, path)
    assert code == 0
    (problem,) = found
    assert problem["code"] == "end-moved-later"
    assert problem["line"] == line_of(path, "2021-06")
    assert problem["message"] == "action 2: end month moved later, Mar 2021 → Jun 2021 (+3 months since HEAD)"


def test_moving_the_end_month_earlier_is_fine(cli: RunCli, repo: GitRepo) -> None:
    path = edit(repo, [base_action(1, end="2020-06", recommendations=["SELR-1", "SELR-4"]), *BEFORE[1:]])
    assert problems(cli, path) == (0, [])


def test_strict_makes_edit_warnings_fail(cli: RunCli, repo: GitRepo) -> None:
    path = edit(repo, [base_action(1, end="2020-12", recommendations=["SELR-1", "SELR-4"]), *BEFORE[1:]])
    code, found = problems(cli, path, "--strict")
    assert code == 1
    assert [p["code"] for p in found] == ["end-moved-later"]


def test_github_annotations_name_the_changed_lines(cli: RunCli, repo: GitRepo) -> None:
    path = edit(repo, [base_action(1, end="2021-01", recommendations=["SELR-1"]), BEFORE[2]])
    result = cli("validate", path, "--against", "HEAD", "--format", "github")
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning", "::warning"]
    assert f"line={line_of(path, 'actions:')},col=1,title=cheplan action-deleted::" in lines[0]
    # In line order: action 1's end field comes before its recommendations.
    assert f"line={line_of(path, '2021-01')},col=" in lines[1]
    assert "title=cheplan end-moved-later::" in lines[1]
    assert "title=cheplan recommendation-unlinked::" in lines[2]
    assert "1 error, 2 warnings" in result.stderr


def test_edit_rules_add_to_the_ordinary_problems(cli: RunCli, repo: GitRepo) -> None:
    path = edit(repo, [base_action(1, end="2020-09", recommendations=["SELR-1"], theme="nope"), *BEFORE[1:]])
    code, found = problems(cli, path)
    assert code == 1
    assert sorted(p["code"] for p in found) == ["recommendation-unlinked", "unknown-theme"]


def test_a_plan_that_is_not_yaml_reports_only_the_yaml_problem(cli: RunCli, repo: GitRepo) -> None:
    path = repo.write("plan.yaml", "actions: [unclosed\n")
    code, found = problems(cli, path)
    assert code == 1
    assert [p["code"] for p in found] == ["yaml-syntax"]


def test_against_several_files(cli: RunCli, repo: GitRepo) -> None:
    other = repo.write("plan_other.yaml", dump(BEFORE))
    repo.commit("second plan")
    edit(repo, BEFORE[1:])
    result = cli("validate", repo.root / "plan.yaml", other, "--against", "HEAD")
    assert result.code == 1
    assert result.stdout.count("[action-deleted]") == 1
    assert "plan_other.yaml: 3 actions, 0 problems" in result.stderr


def test_against_an_unknown_revision_exits_2(cli: RunCli, repo: GitRepo) -> None:
    result = cli("validate", repo.root / "plan.yaml", "--against", "origin/main")
    assert result.code == 2
    assert "unknown git revision 'origin/main'" in result.stderr


def test_against_outside_a_repository_exits_2(cli: RunCli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(dump(BEFORE), encoding="utf-8")
    result = cli("validate", plan, "--against", "HEAD")
    assert result.code == 2
    assert "not in a git repository" in result.stderr


# The example workflow in docs/, its steps run as GitHub would run them.

WORKFLOW = Path(__file__).resolve().parents[2] / "docs" / "github-actions-plan-check.yml"


def _workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def test_example_workflow_is_a_valid_github_workflow() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    if not checker.exists():
        pytest.skip("check-jsonschema is not installed")
    done = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    triggers = _workflow().get(True)  # type: ignore[call-overload]  # PyYAML (YAML 1.1) reads the key `on` as true
    assert "pull_request" in triggers


def test_example_workflow_steps_annotate_and_summarise(tmp_path: Path) -> None:
    job = _workflow()["jobs"]["plan-check"]
    scripts = [step["run"] for step in job["steps"] if "run" in step and "cheplan " in step["run"]]
    scripts = [s for s in scripts if "pip install" not in s]
    assert len(scripts) == 2
    repo = GitRepo(tmp_path / "plans")
    plan = job["env"]["PLAN"]
    repo.write(plan, dump(BEFORE))
    repo.commit("plan")
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")  # what `checkout` with fetch-depth 0 gives
    repo.write(plan, dump([base_action(1, end="2021-03", recommendations=["SELR-1"]), BEFORE[2]]))
    summary = tmp_path / "step-summary.md"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CHEPLAN_", "GIT_"))},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "PLAN": plan,
        "BASE": job["env"]["BASE"].replace("${{ github.base_ref }}", "main"),
    }
    validate, diff = (
        subprocess.run(
            ["bash", "-e", "-c", script],
            check=False,
            cwd=repo.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        for script in scripts
    )
    assert validate.returncode == 1
    assert validate.stdout.startswith(f"::error file={plan},line=")
    assert "title=cheplan action-deleted::action 2 was deleted (it is in origin/main)" in validate.stdout
    assert "::warning " in validate.stdout
    assert diff.returncode == 0, diff.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith(f"### Plan changes: `{plan}` against `origin/main`")
    assert "end month Sep 2020 → Mar 2021 (+6 months)" in text


def test_a_plan_new_in_the_pull_request_passes_with_a_visible_warning(cli: RunCli, repo: GitRepo) -> None:
    new = repo.write("plan_2021.yaml", dump(BEFORE))
    code, found = problems(cli, new)
    assert code == 0
    assert [(p["code"], p["severity"]) for p in found] == [("not-in-base", "warning")]
    assert "renamed" in found[0]["message"]
    assert cli("validate", new, "--against", "HEAD", "--strict").code == 1


def test_deleting_a_progress_entry_is_an_error(cli: RunCli, repo: GitRepo) -> None:
    entries = [
        {"date": "2020-05-01", "status": "in_progress", "note": "Started."},
        {"date": "2020-08-01", "status": "complete", "note": "Done."},
    ]
    edit(repo, [{**BEFORE[0], "status": "complete", "progress": entries}, *BEFORE[1:]])
    repo.commit("progress")
    path = edit(repo, [{**BEFORE[0], "status": "complete", "progress": entries[1:]}, *BEFORE[1:]])
    code, found = problems(cli, path)
    assert code == 1
    [problem] = found
    assert (problem["code"], problem["severity"]) == ("progress-removed", "error")
    assert "2020-05-01" in problem["message"]
    assert problem["line"] == line_of(path, "progress:")


def test_adding_a_progress_entry_is_fine(cli: RunCli, repo: GitRepo) -> None:
    entry = {"date": "2020-05-01", "status": "in_progress", "note": "Started."}
    path = edit(repo, [{**BEFORE[0], "status": "in_progress", "progress": [entry]}, *BEFORE[1:]])
    assert problems(cli, path) == (0, [])
