"""`cheplan diff [BASE]` on temporary git repositories, and the pure diff underneath it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cheplan.questions.diff import current_status, diff_action, raw_actions
from cheplan.questions.diff_words import note_change, progress_changes
from tests.conftest import RunCli, base_action, plan_data
from tests.gitrepo import GitRepo, requires_git

pytestmark = requires_git

PLAN = "plans/plan.yaml"


def dump(actions: list[dict[str, Any]]) -> str:
    return yaml.safe_dump(plan_data(actions), sort_keys=False, allow_unicode=True)


BEFORE = [
    base_action(1, end="2020-09", recommendations=["SELR-1", "SELR-4"], status="in_progress"),
    base_action(2, recommendations=["SELR-2"]),
    base_action(3, recommendations=["SELR-3"]),
]


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write(PLAN, dump(BEFORE))
    repo.commit("plan")
    return repo


def edited(repo: GitRepo, actions: list[dict[str, Any]]) -> Path:
    return repo.write(PLAN, dump(actions))


def finished(action_id: int, **fields: Any) -> dict[str, Any]:
    progress = [{"date": "2020-10-01", "status": "complete", "note": "Done."}]
    return base_action(action_id, status="complete", progress=progress, **fields)


EDIT = [
    finished(1, end="2021-03", recommendations=["SELR-1"]),
    base_action(3, recommendations=["SELR-3"]),
    base_action(4, action="Run a *new* | pilot.", recommendations=["SELR-5"]),
]


def test_no_change_says_so(cli: RunCli, repo: GitRepo) -> None:
    result = cli("diff", "--plan", repo.root / PLAN)
    assert result.code == 0
    assert "compared with HEAD: no action added, removed or changed." in result.stdout
    assert "SELR: 4 of 21 covered (unchanged)" in result.stdout


def test_text_lists_added_removed_and_changed_fields_in_plain_words(cli: RunCli, repo: GitRepo) -> None:
    result = cli("diff", "--plan", edited(repo, EDIT))
    assert result.code == 0, result.stderr
    out = result.stdout
    assert "1 action added, 1 removed, 1 changed." in out
    assert "Added:\n  action 4: Run a *new* | pilot.\n" in out
    assert "Removed:\n  action 2: Action number 2.\n" in out
    assert (
        "  action 1:\n"
        "    end month Sep 2020 → Mar 2021 (+6 months)\n"
        "    recommendation SELR-4 no longer cited\n"
        "    status in progress → complete\n"
        "    progress entry added: 2020-10-01 complete\n"
    ) in out
    # SELR-2 (action 2 removed) and SELR-4 (unlinked) lost, SELR-5 (action 4) gained.
    assert "SELR: 4 of 21 → 3 of 21 covered (SELR-2, SELR-4 no longer covered; SELR-5 now covered)" in out


def test_json_contract(cli: RunCli, repo: GitRepo) -> None:
    result = cli("diff", "--plan", edited(repo, EDIT), "--format", "json")
    data = json.loads(result.stdout)
    assert data["base"] == "HEAD"
    assert data["added"] == [4]
    assert data["removed"] == [2]
    (change,) = data["changed"]
    assert change["id"] == 1
    assert change["fields"]["end"] == {"before": "2020-09", "after": "2021-03"}
    assert change["fields"]["status"] == {"before": "in_progress", "after": "complete"}
    assert change["fields"]["recommendations"] == {"before": ["SELR-1", "SELR-4"], "after": ["SELR-1"]}
    assert list(change["fields"]) == ["end", "recommendations", "status", "progress"]
    assert change["summary"][0] == "end month Sep 2020 → Mar 2021 (+6 months)"
    (coverage,) = data["coverage"]
    assert coverage == {
        "source": "SELR",
        "total": 21,
        "covered_before": 4,
        "covered_after": 3,
        "newly_covered": ["SELR-5"],
        "no_longer_covered": ["SELR-2", "SELR-4"],
    }


def test_markdown_for_a_step_summary(cli: RunCli, repo: GitRepo) -> None:
    result = cli("diff", "--plan", edited(repo, EDIT), "-f", "markdown")
    out = result.stdout
    assert out.startswith("### Plan changes: `")
    assert "- Action 4: Run a \\*new\\* \\| pilot." in out  # plan text cannot break the Markdown
    assert "- Action 1\n  - end month Sep 2020 → Mar 2021 (+6 months)\n" in out
    assert "| SELR | 4 of 21 | 3 of 21 | SELR-2, SELR-4 no longer covered; SELR-5 now covered |" in out


def test_an_earlier_end_month_counts_back(cli: RunCli, repo: GitRepo) -> None:
    result = cli(
        "diff",
        "--plan",
        edited(
            repo,
            [base_action(1, end="2020-06", recommendations=["SELR-1", "SELR-4"], status="in_progress"), *BEFORE[1:]],
        ),
    )
    assert "end month Sep 2020 → Jun 2020 (-3 months)" in result.stdout


def test_dropping_an_action_loses_its_coverage(cli: RunCli, repo: GitRepo) -> None:
    dropped = base_action(
        2,
        recommendations=["SELR-2"],
        status="dropped",
        progress=[{"date": "2020-11-02", "status": "dropped", "note": "Merged into action 3."}],
    )
    result = cli("diff", "--plan", edited(repo, [BEFORE[0], dropped, BEFORE[2]]), "-f", "json")
    data = json.loads(result.stdout)
    assert data["changed"][0]["summary"] == [
        "status not reported → dropped",
        "progress entry added: 2020-11-02 dropped",
    ]
    assert data["coverage"][0]["no_longer_covered"] == ["SELR-2"]


def test_base_can_be_any_revision(cli: RunCli, repo: GitRepo) -> None:
    edited(repo, EDIT)
    repo.commit("second")
    assert "no action added" in cli("diff", "--plan", repo.root / PLAN).stdout
    data = json.loads(cli("diff", "HEAD~1", "--plan", repo.root / PLAN, "-f", "json").stdout)
    assert data["base"] == "HEAD~1"
    assert data["added"] == [4]


def test_does_not_depend_on_the_working_directory(
    cli: RunCli, repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # not a git repository
    result = cli("diff", "--plan", edited(repo, EDIT), "-f", "json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["removed"] == [2]


def test_relative_plan_path_from_inside_the_repository(
    cli: RunCli, repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited(repo, EDIT)
    monkeypatch.chdir(repo.root / "plans")
    result = cli("diff", "--plan", "plan.yaml")
    assert result.stdout.startswith("plan.yaml compared with HEAD: 1 action added")


def test_an_old_version_that_no_longer_validates_is_still_compared(cli: RunCli, repo: GitRepo) -> None:
    repo.write(PLAN, dump([base_action(1, end="Sep-20", priority="high"), *BEFORE[1:]]))
    repo.commit("broken")
    result = cli("diff", "--plan", edited(repo, BEFORE))
    assert result.code == 0
    assert "end month Sep-20 → Sep 2020" in result.stdout
    assert "priority changed" in result.stdout


def test_an_old_version_that_is_not_yaml_shows_everything_as_added(cli: RunCli, repo: GitRepo) -> None:
    repo.write(PLAN, "actions: [unclosed\n")
    repo.commit("broken")
    result = cli("diff", "--plan", edited(repo, BEFORE), "-f", "json")
    assert result.code == 0
    assert json.loads(result.stdout)["added"] == [1, 2, 3]
    assert "cannot be read as YAML" in result.stderr


def test_an_old_version_without_a_list_of_actions_says_so(cli: RunCli, repo: GitRepo) -> None:
    repo.write(PLAN, "- just\n- a list\n")
    repo.commit("not a plan")
    result = cli("diff", "--plan", edited(repo, BEFORE), "-f", "json")
    assert result.code == 0
    assert json.loads(result.stdout)["added"] == [1, 2, 3]
    assert "has no list of actions, so every action shows as added" in result.stderr


def test_a_new_version_that_is_not_yaml_exits_1(cli: RunCli, repo: GitRepo) -> None:
    path = repo.write(PLAN, "actions: [unclosed\n")
    result = cli("diff", "--plan", path)
    assert result.code == 1
    assert "malformed YAML" in result.stderr


def test_outside_a_repository_exits_2(cli: RunCli, tmp_path: Path) -> None:
    plan = tmp_path / "loose" / "plan.yaml"
    plan.parent.mkdir()
    plan.write_text(dump(BEFORE), encoding="utf-8")
    result = cli("diff", "--plan", plan)
    assert result.code == 2
    assert "is not in a git repository" in result.stderr
    assert result.stdout == ""


def test_unknown_revision_exits_2(cli: RunCli, repo: GitRepo) -> None:
    result = cli("diff", "no-such-branch", "--plan", repo.root / PLAN)
    assert result.code == 2
    assert "unknown git revision 'no-such-branch'" in result.stderr


def test_an_option_is_never_passed_to_git_as_a_revision(cli: RunCli, repo: GitRepo) -> None:
    result = cli("diff", "--plan", repo.root / PLAN, "--", "--output=/tmp/x")
    assert result.code == 2
    assert "is not a git revision" in result.stderr


def test_a_plan_new_since_the_revision_shows_every_action_added(cli: RunCli, repo: GitRepo) -> None:
    new = repo.write("plans/plan_new.yaml", dump(BEFORE))
    result = cli("diff", "--plan", new, "--format", "json")
    assert result.code == 0
    data = json.loads(result.stdout)
    assert (data["added"], data["removed"], data["changed"]) == ([a["id"] for a in BEFORE], [], [])


def test_a_missing_plan_file_exits_2(cli: RunCli, repo: GitRepo) -> None:
    result = cli("diff", "--plan", repo.root / "plans" / "nope.yaml")
    assert result.code == 2
    assert "no such file" in result.stderr


# The pure diff.


def test_current_status_follows_the_latest_progress_entry_later_written_wins_ties() -> None:
    action = {
        "status": "planned",
        "progress": [
            {"date": "2020-10-01", "status": "in_progress"},
            {"date": "2020-12-01", "status": "complete"},
            {"date": "2020-12-01", "status": "dropped"},
            "not an entry",
        ],
    }
    assert current_status(action) == "dropped"
    assert current_status({"status": "planned"}) == "planned"
    assert current_status({}) == "not_reported"


def test_raw_actions_reads_whatever_has_a_whole_number_id() -> None:
    found = raw_actions(
        {"actions": [{"id": 2}, {"id": "3"}, "junk", {"id": True}, {"id": 2, "theme": "dup"}, {"id": 5}]}
    )
    assert found.by_id == {2: {"id": 2}, 5: {"id": 5}}
    assert found.positions == {2: 0, 5: 5}
    assert raw_actions(None).by_id == {}
    assert raw_actions({"actions": "none"}).by_id == {}


def test_field_sentences() -> None:
    old = base_action(1, lead=["Police", "Council"], theme="governance", outcomes="A.")
    new = base_action(1, lead=["Council", "NHS"], theme="enforcement", outcomes="B.", start="2020-05")
    sentences = [s for change in diff_action(old, new) for s in change.summary]
    assert sentences == [
        "theme governance → enforcement",
        "outcomes text changed",
        "lead Police removed",
        "lead NHS added",
        "start month Apr 2020 → May 2020 (+1 month)",
    ]


def test_an_unchanged_status_field_with_the_same_current_status_is_no_change() -> None:
    progress = [{"date": "2020-10-01", "status": "complete", "note": "Done."}]
    old = base_action(1, status="in_progress", progress=progress)  # a status-mismatch, reported by validate
    new = base_action(1, status="complete", progress=progress)
    assert diff_action(old, new) == []


def test_deleting_one_of_two_identical_progress_entries_is_a_removal() -> None:
    entry = {"date": "2020-05-01", "status": "in_progress", "note": "Same words."}
    changes = diff_action(base_action(1, progress=[entry, entry]), base_action(1, progress=[entry]))
    assert any("progress entry removed" in sentence for change in changes for sentence in change.summary)


def _summary(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    changes = diff_action(base_action(1, progress=old), base_action(1, progress=new))
    return [sentence for change in changes for sentence in change.summary]


ENTRY = {"date": "2020-08-01", "status": "in_progress", "note": "Met twice with the police."}


def test_a_rewritten_progress_note_shows_the_note_text_that_changed(cli: RunCli, repo: GitRepo) -> None:
    edited(repo, [{**BEFORE[0], "progress": [ENTRY]}, *BEFORE[1:]])
    repo.commit("progress")
    rewritten = {**ENTRY, "note": "Met three times with the police."}
    result = cli("diff", "--plan", edited(repo, [{**BEFORE[0], "progress": [rewritten]}, *BEFORE[1:]]))
    assert result.code == 0
    assert (
        "  action 1:\n"
        "    progress entry 2020-08-01 in progress rewritten:"
        ' note "Met twice with the police." → "Met three times with the police."\n'
    ) in result.stdout
    assert "removed" not in result.stdout
    data = json.loads(cli("diff", "--plan", repo.root / PLAN, "-f", "json").stdout)
    assert data["changed"][0]["fields"]["progress"]["after"][0]["note"] == "Met three times with the police."
    markdown = cli("diff", "--plan", repo.root / PLAN, "-f", "markdown").stdout
    assert "Met three times with the police." in markdown


def test_a_rewritten_entry_names_each_field_that_changed() -> None:
    rewritten = {**ENTRY, "status": "complete", "by": "Police"}
    assert _summary([ENTRY], [rewritten]) == [
        "status in progress → complete",
        "progress entry 2020-08-01 in progress rewritten: status in progress → complete; by (none) → Police",
    ]


def test_a_redated_entry_with_the_same_note_is_one_rewrite() -> None:
    assert _summary([ENTRY], [{**ENTRY, "date": "2020-08-02"}]) == [
        "progress entry 2020-08-01 in progress rewritten: date 2020-08-01 → 2020-08-02"
    ]


def test_an_entry_replaced_by_a_different_one_is_still_removed_and_added() -> None:
    other = {"date": "2020-09-01", "status": "complete", "note": "Done."}
    assert _summary([ENTRY], [other]) == [
        "status in progress → complete",
        "progress entry removed: 2020-08-01 in progress",
        "progress entry added: 2020-09-01 complete",
    ]


def test_a_long_note_shows_only_the_changed_words_in_context() -> None:
    before = "The partnership met the police and probation. " * 4 + "Attendance was 12 officers. Next steps agreed."
    after = before.replace("12 officers", "21 officers")
    text = note_change(before, after)
    assert text == (
        'note "…probation. Attendance was 12 officers. Next steps…"'
        ' → "…probation. Attendance was 21 officers. Next steps…"'
    )


def test_a_note_rewrapped_over_lines_says_only_the_spacing_changed() -> None:
    assert note_change("Met twice\nwith the police.", "Met twice with  the police.") == (
        "note line breaks or spacing changed (same words)"
    )
    assert note_change(None, "Added a note.") == 'note (none) → "Added a note."'


entries = st.fixed_dictionaries(
    {
        "date": st.sampled_from(["2020-05-01", "2020-06-01", "2020-07-01"]),
        "status": st.sampled_from(["in_progress", "complete"]),
        "note": st.sampled_from(["A.", "B.", "C."]),
    }
)


def _key(entry: dict[str, Any]) -> list[tuple[str, Any]]:
    return sorted(entry.items())


@given(st.lists(entries, max_size=5), st.lists(entries, max_size=5))
def test_progress_changes_account_for_every_entry(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
    changes = progress_changes(old, new)
    gone = [*changes.removed, *(a for a, _ in changes.rewritten)]
    came = [*changes.added, *(b for _, b in changes.rewritten)]
    kept = list(new)
    for entry in came:
        kept.remove(entry)
    # What was there before is what stayed plus what went; what is there now is what stayed plus what came.
    assert sorted(map(_key, old)) == sorted(map(_key, [*kept, *gone]))
    assert all(a != b for a, b in changes.rewritten)
