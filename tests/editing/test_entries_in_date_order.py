"""Entries recorded in any order, by several organisations: the log stays oldest first, the
plan passes `validate --strict`, and the status follows the one rule whatever the order."""

from __future__ import annotations

import random
import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cheplan.domain.combined_status import combined_status
from cheplan.domain.model import ProgressEntry
from cheplan.editing.record import record_progress
from cheplan.loading.load import validate_paths
from tests.conftest import base_action, plan_data

TODAY = date(2021, 1, 15)
ENTRIES = st.lists(
    st.builds(
        ProgressEntry,
        date=st.integers(1, 30).map(lambda day: f"2020-11-{day:02d}"),
        status=st.sampled_from(["planned", "in_progress", "complete"]),
        note=st.sampled_from(["", "Met", "Trained staff"]),
        organisation=st.sampled_from([None, "mps", "nps"]),
    ),
    min_size=1,
    max_size=8,
    # One entry per organisation and date: two would be a conflict, which the import refuses.
    unique_by=lambda entry: (entry.organisation, entry.date),
)


@settings(max_examples=25, deadline=None)
@given(entries=ENTRIES, order=st.randoms(use_true_random=False), batches=st.integers(1, 3))
def test_any_import_order_keeps_the_log_in_date_order(
    entries: list[ProgressEntry], order: random.Random, batches: int
) -> None:
    shuffled = list(entries)
    order.shuffle(shuffled)
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "plan.yaml"
        data = plan_data([base_action(1, lead=["All"])])
        plan.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        size = -(-len(shuffled) // batches)
        for start in range(0, len(shuffled), size):  # as several imports, one after another
            chunk = [(1, entry) for entry in shuffled[start : start + size]]
            record_progress(plan, chunk, registers=[], today=TODAY)
        written = yaml.safe_load(plan.read_text(encoding="utf-8"))["actions"][0]
        dates = [entry["date"] for entry in written["progress"]]
        assert dates == sorted(dates)
        validation = validate_paths(plan, [], today=TODAY)
        assert validation.ok
        assert validation.warnings == []  # what `validate --strict` fails on
        recorded = [ProgressEntry(**entry) for entry in written["progress"]]
        assert set(recorded) == set(entries)
        assert written["status"] == combined_status(sorted(entries, key=lambda e: e.date))
