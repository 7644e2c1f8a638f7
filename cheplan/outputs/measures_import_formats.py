"""What `returns import` found in the Measures sheets: lines for people, a key for the JSON."""

from __future__ import annotations

import json

from cheplan.domain.safe_text import safe_file_name, visible
from cheplan.domain.words import plural
from cheplan.questions.measure_rows import MeasuresReview


def measures_text(reviews: list[MeasuresReview], *, written: bool) -> str:
    lines: list[str] = []
    verb = "recorded" if written else "would record"
    for review in reviews:
        lines.append(f"{safe_file_name(review.file)} (Measures)")
        for indicator_id, entry, place in review.values:
            cell = place.rsplit("!", 1)[-1]
            note = f': "{entry.note}"' if entry.note else ""
            lines.append(f"  Indicator {indicator_id} ({cell}): {verb} {entry.value} for {entry.period}{note}")
        if review.already_recorded:
            lines.append(f"  {plural(review.already_recorded, 'value')} already on record")
    count = sum(len(review.values) for review in reviews)
    if count:
        lines.append(f"{'Recorded' if written else 'Would record'} {plural(count, 'indicator value')}.")
    return "".join(visible(line) + "\n" for line in lines)


def with_measures_json(document_text: str, reviews: list[MeasuresReview]) -> str:
    """The import's JSON document with a `measures` key: every value each sheet would record."""
    document = json.loads(document_text)
    document["measures"] = [
        {
            "file": review.file,
            "already_recorded": review.already_recorded,
            "values": [
                {"indicator": indicator_id, "cell": place, **entry.as_data()}
                for indicator_id, entry, place in review.values
            ],
        }
        for review in reviews
    ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
