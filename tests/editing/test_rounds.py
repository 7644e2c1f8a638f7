"""Recording a returns round keeps every byte of the plan outside what it inserts, reads back
exactly as meant, and refuses what it cannot do faithfully."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cheplan.domain.errors import InvalidPlanError, UsageError, WriteRefusedError
from cheplan.domain.rounds import ReturnReceived, SentMessage
from cheplan.editing.rounds import RoundChange, record_round
from tests.conftest import BASE_PLAN, base_action

ORGANISATIONS = "organisations:\n  - id: csp\n    name: LBS Community Safety & Partnerships\n"


def plan_text(tail: str = "") -> str:
    data = dict(BASE_PLAN, actions=[base_action(1)])
    head = "# A plan with comments that must survive.\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return head + "# organisations follow\n" + ORGANISATIONS + tail


def message(number: int, kind: str = "send") -> SentMessage:
    return SentMessage(
        organisation="csp",
        kind=kind,  # type: ignore[arg-type]
        to=["ann@partner.example.org"],
        message_id=f"<m{number}@cheplan.example.org>",
        sent="2020-10-01T09:00:00Z",
    )


def start(path: Path) -> None:
    record_round(path, RoundChange("2020-Q3", as_of="2020-09-30", deadline="2020-10-21"), registers=[])


def rounds(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["rounds"])


def test_a_new_round_is_appended_and_every_other_byte_kept(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    start(path)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert rounds(path) == [{"id": "2020-Q3", "as_of": "2020-09-30", "deadline": "2020-10-21"}]


def test_messages_go_into_a_hand_written_block_followed_by_other_keys(tmp_path: Path) -> None:
    hand = (
        "rounds:   # kept by the coordinator\n"
        "- id: 2020-Q2\n  as_of: '2020-06-30'\n  deadline: '2020-07-21'\n"
        "- id: 2020-Q3\n  as_of: '2020-09-30'\n  deadline: '2020-10-21'\n  messages:\n"
        "  - organisation: csp\n    kind: send\n    to: [ann@partner.example.org]\n"
        "    message_id: <m0@cheplan.example.org>\n    sent: '2020-10-01T08:00:00Z'\n"
        "  # the first message\n"
    )
    path = tmp_path / "plan.yaml"
    original = plan_text().replace("# organisations follow\n", hand + "# organisations follow\n")
    path.write_text(original, encoding="utf-8")
    record_round(path, RoundChange("2020-Q3", messages=(message(1),)), registers=[])
    record_round(
        path, RoundChange("2020-Q2", returned=(ReturnReceived(organisation="csp", date="2020-07-20"),)), registers=[]
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original.split("- id: 2020-Q3")[0].split("- id: 2020-Q2")[0])
    assert "rounds:   # kept by the coordinator\n" in text
    assert "  # the first message\n# organisations follow\n" + ORGANISATIONS in text
    found = rounds(path)
    assert [m["message_id"] for m in found[1]["messages"]] == ["<m0@cheplan.example.org>", "<m1@cheplan.example.org>"]
    assert found[0]["returned"] == [{"organisation": "csp", "date": "2020-07-20"}]


def test_an_empty_flow_list_becomes_a_block_list(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text("rounds: []\n"), encoding="utf-8")
    start(path)
    assert rounds(path)[0]["id"] == "2020-Q3"


def test_a_message_on_record_is_not_added_twice_and_crlf_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(plan_text().replace("\n", "\r\n").encode())
    start(path)
    record_round(path, RoundChange("2020-Q3", messages=(message(1),)), registers=[])
    record_round(path, RoundChange("2020-Q3", messages=(message(1), message(2, "chase"))), registers=[])
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert [m["message_id"] for m in rounds(path)[0]["messages"]] == [
        "<m1@cheplan.example.org>",
        "<m2@cheplan.example.org>",
    ]


def test_a_moved_deadline_is_a_revision(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(), encoding="utf-8")
    start(path)
    written = record_round(path, RoundChange("2020-Q3", deadline="2020-10-28", meeting="2020-11-04"), registers=[])
    assert written.revised_deadlines == ["2020-10-28"]
    assert written.current_deadline == "2020-10-28"
    assert written.meeting == "2020-11-04"
    with pytest.raises(UsageError, match="feeds '2020-11-04'"):
        record_round(path, RoundChange("2020-Q3", meeting="2020-12-02"), registers=[])


def test_refusals(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(), encoding="utf-8")
    with pytest.raises(UsageError, match="give its deadline"):
        record_round(path, RoundChange("2020-Q3"), registers=[])
    path.write_text(
        plan_text("rounds: [{id: 2020-Q3, as_of: '2020-09-30', deadline: '2020-10-21'}]\n"), encoding="utf-8"
    )
    before = path.read_bytes()
    with pytest.raises(WriteRefusedError, match="not written as a block list"):
        record_round(path, RoundChange("2020-Q3", messages=(message(1),)), registers=[])
    assert path.read_bytes() == before
    path.write_text(plan_text().replace("schema_version: 1", "schema_version: 2"), encoding="utf-8")
    with pytest.raises(InvalidPlanError):
        start(path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    batches=st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=4), indent=st.sampled_from([0, 2, 4])
)
def test_any_batches_of_messages_read_back_in_order(tmp_path: Path, batches: list[int], indent: int) -> None:
    path = tmp_path / "plan.yaml"
    pad = " " * indent
    hand = f"rounds:\n{pad}- id: 2020-Q3\n{pad}  as_of: '2020-09-30'\n{pad}  deadline: '2020-10-21'\n"
    original = plan_text(hand)
    path.write_text(original, encoding="utf-8")
    number = 0
    for size in batches:
        batch = tuple(message(number + i) for i in range(size))
        number += size
        record_round(path, RoundChange("2020-Q3", messages=batch), registers=[])
    assert path.read_text(encoding="utf-8").startswith(original)
    assert [m["message_id"] for m in rounds(path)[0]["messages"]] == [
        f"<m{i}@cheplan.example.org>" for i in range(number)
    ]
