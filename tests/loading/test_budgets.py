"""Budgets that bound memory and time within the size cap, on small inputs.

The budgets are lowered here so that the behaviour shows on files of a few lines; the real
figures (a 10 MB `plan: [a, a, ...]`, three million unknown keys) are measured by
benchmarks/budgets.py, never timed in a test.
"""

from __future__ import annotations

import pytest
import yaml

from cheplan.domain.problems import MoreProblems, Problem, ProblemCount
from cheplan.loading import problem_cap, yaml_builder
from cheplan.loading.load import Source, validate_sources
from cheplan.loading.problem_cap import cap_problems
from cheplan.loading.safe_yaml import parse_yaml
from tests.conftest import MakePlan, RunCli, base_action, plan_data


@pytest.fixture
def small_node_budget(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(yaml_builder, "MAX_NODES", 100)
    return 100


@pytest.fixture
def cap_of_five(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(problem_cap, "MAX_PROBLEMS_PER_FILE", 5)
    return 5


def test_a_flow_list_over_the_node_budget_is_refused(small_node_budget: int) -> None:
    doc = parse_yaml("plan: [" + "a, " * 200 + "a]\n", "p.yaml")
    assert doc.data is None
    [problem] = doc.problems
    assert (problem.code, problem.line) == ("yaml-too-big", 1)
    assert "values (texts, numbers, lists and mappings) in one file" in problem.message


def test_the_node_budget_names_the_line_where_it_ran_out(small_node_budget: int) -> None:
    doc = parse_yaml("plan:\n" + "- a\n" * 200, "p.yaml")
    [problem] = doc.problems
    # The mapping, the key "plan" and the list are three values; the 98th item is the 101st.
    assert (problem.code, problem.line) == ("yaml-too-big", 99)


def test_a_file_within_the_node_budget_reads(small_node_budget: int) -> None:
    doc = parse_yaml("plan: [" + "a, " * 96 + "a]\n", "p.yaml")  # 3 + 97 = 100 values
    assert doc.problems == []
    assert len(doc.data["plan"]) == 97


def test_aliases_may_not_expand_past_the_node_budget(small_node_budget: int) -> None:
    doc = parse_yaml("a: &x [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x]\n", "p.yaml")
    [problem] = doc.problems
    assert problem.code == "yaml-alias"


def lines_of(problems: list[Problem]) -> list[tuple[int, str, str]]:
    return [(p.line, p.code, p.severity) for p in problems]


def test_unknown_keys_past_the_cap_become_one_line(cap_of_five: int) -> None:
    plan = plan_data()
    plan.update({f"extra{i}": i for i in range(20)})
    problems = validate_sources(Source(yaml.safe_dump(plan, sort_keys=False), "p.yaml"), []).problems
    assert len(problems) == 6
    more = problems[-1]
    assert isinstance(more, MoreProblems)
    assert (more.code, more.severity, more.omitted) == ("more-problems", "error", 15)
    assert more.message.startswith("and 15 more problems")
    assert [p.code for p in problems[:5]] == ["unknown-field"] * 5
    assert more.line > max(p.line for p in problems[:5])


def test_duplicate_keys_past_the_cap_are_counted_in_the_loader(cap_of_five: int) -> None:
    doc = parse_yaml("a: 1\n" * 12, "p.yaml")
    assert [p.code for p in doc.problems] == ["duplicate-key"] * 5 + ["more-problems"]
    assert doc.problems[-1].message.startswith("and 6 more problems")
    assert "first defined at line 1" in doc.problems[0].message


def test_cross_check_findings_past_the_cap_are_counted(cap_of_five: int) -> None:
    plan = plan_data([base_action(n, theme="nowhere") for n in range(1, 13)])
    problems = validate_sources(Source(yaml.safe_dump(plan, sort_keys=False), "p.yaml"), []).problems
    assert [p.code for p in problems] == ["unknown-theme"] * 5 + ["more-problems"]
    assert problems[-1].message.startswith("and 7 more problems")


def test_stages_are_merged_under_one_cap_per_file(cap_of_five: int) -> None:
    # Warnings from the loader (unquoted dates) and errors from the cross-checks, together.
    text = yaml.safe_dump(plan_data([base_action(n, theme="nowhere") for n in range(1, 5)]), sort_keys=False)
    text = text.replace("date: '2020-04-07'", "date: 2020-04-07")
    text += "".join(f"d{i}: 2020-01-0{i}\n" for i in range(1, 5))
    problems = validate_sources(Source(text, "p.yaml"), []).problems
    # 5 unquoted dates, 4 unknown fields d1-d4, 4 unknown themes: 13, of which 5 are listed.
    assert len(problems) == 6
    assert problems[-1].message.startswith("and 8 more problems")
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert problems[-1].severity == "error"  # unknown fields were left out: the file still fails
    # Left out, at the end of the file: d1-d4, each an unknown field (error) and an unquoted date (warning).
    more = problems[-1]
    assert isinstance(more, MoreProblems)
    assert (more.omitted, more.omitted_errors) == (8, 4)


def test_the_more_line_is_a_warning_only_when_every_omitted_problem_is() -> None:
    warnings = [Problem("p.yaml", n, 1, "unquoted-date", "w", "warning") for n in range(1, 5)]
    assert lines_of(cap_problems(warnings, 2))[-1] == (3, "more-problems", "warning")
    error_later = [*warnings[:2], Problem("p.yaml", 9, 1, "schema", "e")]
    assert lines_of(cap_problems(error_later, 2))[-1] == (9, "more-problems", "error")
    more = cap_problems(error_later, 2)[-1]
    assert isinstance(more, MoreProblems)
    assert (more.omitted, more.omitted_errors) == (1, 1)
    more = cap_problems([*warnings, *error_later], 2)[-1]
    assert isinstance(more, MoreProblems)
    assert (more.omitted, more.omitted_errors) == (5, 1)


def test_the_cap_is_per_file() -> None:
    problems = [Problem(name, n, 1, "schema", "e") for name in ("a.yaml", "b.yaml") for n in range(1, 4)]
    capped = cap_problems(problems, 2)
    assert [(p.file, p.line, p.code) for p in capped] == [
        ("a.yaml", 1, "schema"),
        ("a.yaml", 2, "schema"),
        ("a.yaml", 3, "more-problems"),
        ("b.yaml", 1, "schema"),
        ("b.yaml", 2, "schema"),
        ("b.yaml", 3, "more-problems"),
    ]


def test_no_more_line_at_or_under_the_cap() -> None:
    problems = [Problem("p.yaml", n, 1, "schema", "e") for n in range(1, 4)]
    assert cap_problems(problems, 3) == problems


def test_counts_stand_for_every_problem_a_more_line_leaves_out() -> None:
    listed = [Problem("p.yaml", 1, 1, "schema", "e"), Problem("p.yaml", 2, 1, "unquoted-date", "w", "warning")]
    more = MoreProblems("p.yaml", 3, 1, "more-problems", "and ...", "error", omitted=10, omitted_errors=7)
    assert ProblemCount.of([*listed, more]) == ProblemCount(errors=8, warnings=4, at_least=False)
    assert ProblemCount.of([*listed, more]).words() == "8 errors, 4 warnings"
    stopped = MoreProblems(
        "p.yaml", 3, 1, "more-problems", "and ...", "error", omitted=209_999, omitted_errors=209_999, at_least=True
    )
    assert ProblemCount.of([listed[0], stopped]).words() == "at least 210,000 problems"


def test_a_command_refusing_a_capped_plan_counts_what_the_line_stands_for(cli: RunCli, make_plan: MakePlan) -> None:
    plan = make_plan([base_action(n, theme="nowhere") for n in range(1, 1_011)])
    result = cli("overdue", "--plan", plan)
    assert result.code == 1
    assert "the plan is not valid (1,010 problems found)" in result.stderr
