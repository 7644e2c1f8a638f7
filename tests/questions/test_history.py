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


REVISION_HINT = 'cheplan update 2 --revised-end 2021-06 --note "Agreed by ... on ...: reason"'


def test_moving_the_end_month_later_is_an_error_whose_hint_records_a_revision(cli: RunCli, repo: GitRepo) -> None:
    path = edit(repo, [BEFORE[0], base_action(2, recommendations=["SELR-2"], end="2021-06"), BEFORE[2]])
    code, found = problems(cli, path)
    assert code == 1
    (problem,) = found
    assert (problem["code"], problem["severity"]) == ("end-moved", "error")
    assert problem["line"] == line_of(path, "2021-06")
    assert problem["message"].startswith(
        "action 2: the approved end month moved later, Mar 2021 → Jun 2021 (+3 months since HEAD);"
    )
    assert "put it back to 2021-03" in problem["message"]
    assert problem["message"].endswith(REVISION_HINT)


def test_moving_the_end_month_earlier_is_an_error_too(cli: RunCli, repo: GitRepo) -> None:
    path = edit(repo, [base_action(1, end="2020-06", recommendations=["SELR-1", "SELR-4"]), *BEFORE[1:]])
    code, found = problems(cli, path)
    assert code == 1
    (problem,) = found
    assert (problem["code"], problem["severity"]) == ("end-moved", "error")
    assert "moved earlier, Sep 2020 → Jun 2020 (-3 months since HEAD)" in problem["message"]
    assert "cheplan update 1 --revised-end 2020-06 --note" in problem["message"]


def test_a_revision_recorded_as_progress_keeps_the_end_and_passes(cli: RunCli, repo: GitRepo) -> None:
    revised = {
        "date": "2020-09-01",
        "status": "in_progress",
        "note": "Agreed by the board on 2020-09-01: delay.",
        "revised_end": "2021-06",
    }
    action = base_action(1, end="2020-09", recommendations=["SELR-1", "SELR-4"], status="in_progress")
    path = edit(repo, [{**action, "progress": [revised]}, *BEFORE[1:]])
    assert problems(cli, path) == (0, [])


def test_fixing_an_end_that_was_not_a_month_is_not_a_move(cli: RunCli, repo: GitRepo) -> None:
    repo.write("plan.yaml", dump([base_action(1, end="Sep-20"), *BEFORE[1:]]))
    repo.commit("typo")
    path = edit(repo, [base_action(1, end="2020-09"), *BEFORE[1:]])
    assert problems(cli, path) == (0, [])


def test_strict_makes_edit_warnings_fail(cli: RunCli, repo: GitRepo) -> None:
    path = edit(repo, [base_action(1, end="2020-09", recommendations=["SELR-1"]), *BEFORE[1:]])
    assert problems(cli, path)[0] == 0
    code, found = problems(cli, path, "--strict")
    assert code == 1
    assert [p["code"] for p in found] == ["recommendation-unlinked"]


def test_github_annotations_name_the_changed_lines(cli: RunCli, repo: GitRepo) -> None:
    path = edit(repo, [base_action(1, end="2021-01", recommendations=["SELR-1"]), BEFORE[2]])
    result = cli("validate", path, "--against", "HEAD", "--format", "github")
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::error", "::warning"]
    assert f"line={line_of(path, 'actions:')},col=1,title=cheplan action-deleted::" in lines[0]
    # In line order: action 1's end field comes before its recommendations.
    assert f"line={line_of(path, '2021-01')},col=" in lines[1]
    assert "title=cheplan end-moved::" in lines[1]
    assert "title=cheplan recommendation-unlinked::" in lines[2]
    assert "2 errors, 1 warning" in result.stderr


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


@pytest.mark.external
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


def test_rewriting_a_progress_note_is_an_error_at_the_entry_naming_the_change(cli: RunCli, repo: GitRepo) -> None:
    entry = {"date": "2020-08-01", "status": "in_progress", "note": "Met twice."}
    edit(repo, [{**BEFORE[0], "status": "in_progress", "progress": [entry]}, *BEFORE[1:]])
    repo.commit("progress")
    rewritten = {**entry, "note": "Met three times."}
    path = edit(repo, [{**BEFORE[0], "status": "in_progress", "progress": [rewritten]}, *BEFORE[1:]])
    code, found = problems(cli, path)
    assert code == 1
    [problem] = found
    assert (problem["code"], problem["severity"]) == ("progress-removed", "error")
    assert 'note "Met twice." → "Met three times."' in problem["message"]
    assert problem["line"] == line_of(path, "2020-08-01")


# REV must name exactly one commit, whatever else git can parse.


@pytest.mark.parametrize("revision", ["^HEAD", "HEAD~1..HEAD", "HEAD..", "HEAD^!", "HEAD^@", "HEAD...HEAD~1"])
def test_a_revision_that_is_not_exactly_one_commit_exits_2(cli: RunCli, repo: GitRepo, revision: str) -> None:
    edit(repo, [BEFORE[0]])
    repo.commit("second")
    edit(repo, [])  # every action deleted: a pass here would be a bypass
    for command in (["validate", repo.root / "plan.yaml", "--against", revision, "--strict"], ["diff", revision]):
        plan_option = [] if command[0] == "validate" else ["--plan", repo.root / "plan.yaml"]
        result = cli(*command, *plan_option)
        assert result.code == 2, (command, result.stdout, result.stderr)
        assert f"{revision!r}" in result.stderr
        assert "exactly one commit" in result.stderr or "unknown git revision" in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("revision", ["HEAD:plan.yaml", "HEAD^{tree}", "no-such-branch", "@{-1}"])
def test_a_revision_that_is_no_commit_exits_2(cli: RunCli, repo: GitRepo, revision: str) -> None:
    result = cli("validate", repo.root / "plan.yaml", "--against", revision)
    assert result.code == 2
    assert f"unknown git revision {revision!r}" in result.stderr


def test_a_commit_hash_a_tag_and_a_relative_revision_all_work(cli: RunCli, repo: GitRepo) -> None:
    first = repo.git("rev-parse", "HEAD").strip()
    repo.git("tag", "-a", "-m", "approved", "approved")  # an annotated tag peels to its commit
    edit(repo, BEFORE[1:])
    repo.commit("deleted")
    path = repo.root / "plan.yaml"
    for revision in (first, first[:10], "approved", "HEAD~1", "main~1"):
        code, found = problems_against(cli, path, revision)
        assert code == 1, revision
        assert [p["code"] for p in found] == ["action-deleted"]


def problems_against(cli: RunCli, path: Path, revision: str) -> tuple[int, list[dict[str, Any]]]:
    result = cli("validate", path, "--against", revision, "--format", "json")
    return result.code, json.loads(result.stdout)


def test_a_plan_given_through_a_symlink_is_compared_with_the_file_it_points_to(
    cli: RunCli, repo: GitRepo, tmp_path: Path
) -> None:
    edit(repo, BEFORE[1:])  # action 1 deleted
    outside = tmp_path / "current.yaml"
    outside.symlink_to(repo.root / "plan.yaml")
    inside = repo.root / "link.yaml"
    inside.symlink_to("plan.yaml")
    for link in (outside, inside):
        code, found = problems(cli, link)
        assert code == 1, link
        assert [p["code"] for p in found] == ["action-deleted"], link
    result = cli("diff", "--plan", outside, "-f", "json")
    assert json.loads(result.stdout)["removed"] == [1]


def test_a_symlinked_directory_is_followed_too(cli: RunCli, repo: GitRepo, tmp_path: Path) -> None:
    edit(repo, BEFORE[1:])
    (tmp_path / "view").symlink_to(repo.root)
    code, found = problems(cli, tmp_path / "view" / "plan.yaml")
    assert (code, [p["code"] for p in found]) == (1, ["action-deleted"])


@pytest.mark.parametrize(
    ("base_text", "reason"),
    [
        ("actions: [unclosed\n", "malformed YAML"),
        ("- just\n- a list\n", "no list of actions"),
        ("schema_version: 1\nactions: 3\n", "no list of actions"),
    ],
)
def test_a_base_that_cannot_be_read_as_a_plan_is_an_error(
    cli: RunCli, repo: GitRepo, base_text: str, reason: str
) -> None:
    repo.write("plan.yaml", base_text)
    repo.commit("broken")
    path = edit(repo, BEFORE)
    code, found = problems(cli, path)
    assert code == 1
    [problem] = found
    assert (problem["code"], problem["severity"]) == ("base-unreadable", "error")
    assert reason in problem["message"]
    assert "no edit rule can be checked" in problem["message"]


def test_the_edited_plan_is_parsed_once_and_still_checked(
    cli: RunCli, repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation and the edit rules share one parse of the file (at 100,000 actions a parse is
    2 s and 150 MiB): the plan and the plan at HEAD are parsed once each (the register, once a
    process, may already be)."""
    from cheplan.loading import git_revision, load, safe_yaml

    parsed: list[str] = []
    real = safe_yaml.parse_yaml

    def counted(text: str, name: str) -> Any:
        parsed.append(name)
        return real(text, name)

    for module in (load, git_revision):
        monkeypatch.setattr(module, "parse_yaml", counted)
    path = edit(repo, [BEFORE[0], BEFORE[2]])
    code, found = problems(cli, path)
    assert code == 1
    assert [p["code"] for p in found] == ["action-deleted"]
    plans = [name for name in parsed if "plan.yaml" in name]
    assert len(plans) == len(set(plans)) == 2, parsed
