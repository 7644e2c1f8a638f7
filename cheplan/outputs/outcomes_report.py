"""The board report's outcome indicators: what the templates' Outcomes section and page-1 block show.

Kept apart from :mod:`cheplan.outputs.board_report` so that the report's other sections can
change without touching these: the report adds `outcome_context(board, format_name)` to its
template context, and the templates include `outcomes.*.j2` and `outcomes_summary.*.j2`.
"""

from __future__ import annotations

from typing import Any

from cheplan.outputs.indicator_listings import figure, signed
from cheplan.questions.board import Board
from cheplan.questions.indicators import STATUS_RULE, STATUS_WORDS, status_counts


def outcome_context(board: Board, format_name: str) -> dict[str, Any]:
    found = board.outcomes
    charts: dict[str, Any] = {}
    if format_name == "html" and found:
        from markupsafe import Markup

        from cheplan.outputs.charts import Chart
        from cheplan.outputs.indicator_charts import indicator_chart

        for number, one in enumerate(found, start=1):
            chart = indicator_chart(one, number)
            charts[one.indicator.id] = Chart(chart.id, chart.title, chart.desc, Markup(chart.svg))
    return {
        "outcomes": found,
        "outcome_counts": status_counts(found),
        "outcome_no_data": [one.indicator for one in found if one.status == "no_data"],
        "outcome_rule": STATUS_RULE,
        "outcome_words": STATUS_WORDS,
        "outcome_charts": charts,
        "figure": figure,
        "signed": signed,
    }
