"""How init proposes an organisation directory from printed leads."""

from __future__ import annotations

import pytest

from cheplan.questions import lead_groups
from cheplan.questions.lead_groups import group_leads


def test_spellings_group_by_case_punctuation_prefix_and_part() -> None:
    leads = ["LBS Youth Service", "LBS Housing", "LBS Parks", "Youth service", "Police", "Police", "police."]
    groups = {group.name: group.aliases for group in group_leads(leads)}
    assert groups == {"LBS Youth Service": ["Youth service"], "LBS Housing": [], "LBS Parks": [], "Police": ["police."]}


def test_similar_names_that_are_different_services_stay_apart() -> None:
    leads = ["LBS Public Health", "LBS Public Affairs", "LBS Children's Services", "LBS Regulatory Services", "All"]
    assert [group.aliases for group in group_leads(leads)] == [[], [], [], []]


def test_past_the_cap_each_spelling_stands_alone_and_none_is_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lead_groups, "MAX_LEADS", 3)
    groups = group_leads(["Police", "police", "Fire", "Fire service", "fire"])
    assert [(g.name, g.aliases) for g in groups] == [
        ("Police", ["police"]),
        ("Fire", []),
        ("Fire service", []),
        ("fire", []),
    ]


def test_numbered_names_are_different_organisations() -> None:
    assert [g.aliases for g in group_leads(["Zone 1 team", "Zone 10 team", "Zone 1 Team"])] == [["Zone 1 team"], []]
