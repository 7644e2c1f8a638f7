"""A small line chart per outcome indicator for the board report, drawn like the report's other charts.

matplotlib through :mod:`cheplan.outputs.charts` (its style, its deterministic inline SVG with
a <title> and <desc>): the values as a solid line with a marker at each period, the baseline
and the target as labelled markers, and the straight line from one to the other dashed, so
the chart reads in black and white and the status never rests on colour. The table of values
beside it in the report is the text equivalent.
"""

from __future__ import annotations

from cheplan.domain.periods import period_index
from cheplan.outputs.board_text import one_line
from cheplan.outputs.charts import Chart, _style, _svg
from cheplan.outputs.indicator_listings import figure
from cheplan.questions.indicators import STATUS_WORDS, IndicatorStanding

SIZE_INCHES = (5.2, 2.0)


def description(found: IndicatorStanding) -> str:
    indicator = found.indicator
    unit = indicator.unit
    values = "; ".join(f"{p.period}: {figure(p.value, unit)}" for p in found.series) or "no values yet"
    return (
        f"{one_line(indicator.title)}. Baseline {figure(indicator.baseline.value, unit)}"
        f" in {indicator.baseline.period},"
        f" target {figure(indicator.target.value, unit)} by {indicator.target.by} ({indicator.better} is better)."
        f" Values: {values}. Status: {STATUS_WORDS[found.status]}."
    )


def indicator_chart(found: IndicatorStanding, number: int) -> Chart:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    indicator = found.indicator
    chart_id = f"indicator-{number}"
    title = f"{one_line(indicator.title)}: {STATUS_WORDS[found.status]}"
    desc = description(found)
    start, end = indicator.baseline.period, indicator.target.by
    with _style(chart_id):
        chart = Figure(figsize=SIZE_INCHES)
        chart.subplots_adjust(left=0.12, right=0.97, top=0.88, bottom=0.2)
        axes = chart.add_subplot()
        line_x = [period_index(start), period_index(end)]
        axes.plot(line_x, [indicator.baseline.value, indicator.target.value], linestyle="--", color="#555555",
                  linewidth=1, label="baseline to target")  # fmt: skip
        axes.plot([line_x[0]], [indicator.baseline.value], marker="s", color="#333333", linestyle="none")
        axes.plot([line_x[1]], [indicator.target.value], marker="D", color="#333333", linestyle="none")
        axes.annotate("baseline", (line_x[0], indicator.baseline.value), textcoords="offset points", xytext=(4, 5),
                      fontsize=7)  # fmt: skip
        axes.annotate("target", (line_x[1], indicator.target.value), textcoords="offset points", xytext=(-10, 5),
                      fontsize=7, ha="right")  # fmt: skip
        if found.series:
            xs = [period_index(p.period) for p in found.series]
            axes.plot(xs, [p.value for p in found.series], marker="o", color="#1f5fa8", linewidth=1.6)
        shown = sorted({*line_x, *(period_index(p.period) for p in found.series)})
        axes.set_xticks(shown[:: max(1, len(shown) // 6)])
        names = {period_index(p): p for p in (start, end, *(v.period for v in found.series))}
        axes.set_xticklabels([names.get(x, "") for x in shown[:: max(1, len(shown) // 6)]], fontsize=7)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4))
        axes.tick_params(axis="y", labelsize=7)
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_title(f"{STATUS_WORDS[found.status]}", fontsize=8, loc="right")
        return Chart(chart_id, title, desc, _svg(chart, chart_id, title, desc))
