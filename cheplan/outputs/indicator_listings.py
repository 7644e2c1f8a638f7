"""`cheplan indicators`: each outcome indicator against its target, in every listing format.

The table shows the baseline, target, latest value, the change since the previous value, the
status and the owner; JSON carries every value on record (corrections and the entries they
replace included), so nothing the plan holds is lost to a machine reader.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cheplan.domain.indicators import Indicator, IndicatorValue
from cheplan.domain.model import Plan
from cheplan.domain.words import plural
from cheplan.outputs.listing import Cell, Column, Listing
from cheplan.questions.indicators import STATUS_RULE, STATUS_WORDS, IndicatorStanding, standings, status_counts


def figure(value: int | float | None, unit: str) -> str:
    """A value as people read it: 35%, 12, 4.5 per 1,000."""
    if value is None:
        return ""
    number = f"{value:,}" if isinstance(value, int) or not float(value).is_integer() else f"{int(value):,}"
    if unit == "percent":
        return f"{number}%"
    if unit.startswith("rate per"):
        return f"{number} {unit.removeprefix('rate ')}"
    return f"{number} days" if unit == "days" else number


def signed(value: int | float | None) -> str:
    if value is None:
        return ""
    return f"+{value:,}" if value > 0 else f"{value:,}"


INDICATOR_COLUMNS = [
    Column("id", "ID", no_wrap=True, max_width=26),
    Column("title", "Indicator", ratio=1, min_width=14),
    Column("baseline", "Baseline", max_width=12),
    Column("target", "Target", max_width=12),
    Column("latest", "Latest", max_width=12, when_empty="none"),
    Column("change", "Change", justify="right", no_wrap=True, when_empty="-", human=signed),
    Column("status", "Status", max_width=9, human=lambda s: STATUS_WORDS.get(str(s), str(s))),
    Column("owner", "Owner", max_width=14),
]


def value_json(entry: IndicatorValue) -> dict[str, Any]:
    return {
        "period": entry.period,
        "value": entry.value,
        "note": entry.note,
        "organisation": entry.organisation,
        "corrects": entry.corrects,
    }


def standing_json(found: IndicatorStanding) -> dict[str, Any]:
    indicator: Indicator = found.indicator
    latest = found.latest
    return {
        "id": indicator.id,
        "title": indicator.title,
        "unit": indicator.unit,
        "better": indicator.better,
        "baseline": {"value": indicator.baseline.value, "period": indicator.baseline.period},
        "target": {"value": indicator.target.value, "by": indicator.target.by},
        "owner": indicator.owner,
        "source": indicator.source,
        "actions": list(indicator.actions),
        "recommendations": list(indicator.recommendations),
        "latest": {"period": latest.period, "value": latest.value} if latest else None,
        "change": found.change,
        "expected": float(found.expected) if found.expected is not None else None,
        "status": found.status,
        "series": [{"period": p.period, "value": p.value, "corrected": p.corrected != ()} for p in found.series],
        "values": [value_json(entry) for entry in indicator.values],
    }


def standing_row(found: IndicatorStanding) -> dict[str, Cell]:
    indicator = found.indicator
    latest = found.latest
    return {
        "id": indicator.id,
        "title": indicator.title,
        "baseline": f"{figure(indicator.baseline.value, indicator.unit)} ({indicator.baseline.period})",
        "target": f"{figure(indicator.target.value, indicator.unit)} by {indicator.target.by}",
        "latest": f"{figure(latest.value, indicator.unit)} ({latest.period})" if latest else None,
        "change": found.change,
        "status": found.status,
        "owner": indicator.owner,
    }


def summary_line(found: list[IndicatorStanding]) -> str:
    """ "4 indicators: 1 on track, 2 off track, 1 no data (drug-service-referrals)." """
    counts = status_counts(found)
    missing = [one.indicator.id for one in found if one.status == "no_data"]
    parts = [f"{counts[status]} {STATUS_WORDS[status]}" for status in STATUS_WORDS]
    named = f" ({', '.join(missing)})" if missing else ""
    return f"{plural(len(found), 'indicator')}: {', '.join(parts)}{named}."


def indicators_listing(plan: Plan, as_of: date) -> Listing:
    found = standings(plan, as_of)
    footer = [f"{summary_line(found)} As of {as_of.isoformat()}.", STATUS_RULE] if found else [STATUS_RULE]
    return Listing(
        data={
            "as_of": as_of.isoformat(),
            "rule": STATUS_RULE,
            "counts": status_counts(found),
            "indicators": [standing_json(one) for one in found],
        },
        columns=INDICATOR_COLUMNS,
        rows=[standing_row(one) for one in found],
        title=f"Outcome indicators: {plan.plan.title}",
        footer=footer,
        empty_message="The plan has no outcome indicators (an `indicators:` list).",
    )
