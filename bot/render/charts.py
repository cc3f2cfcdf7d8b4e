"""Chart images for managers (matplotlib on the Agg backend: no display needed).

The figures drawn are also written into the PNG's text metadata ("Description", JSON), so a test or an
auditor can read exactly which numbers the picture shows.
"""

from __future__ import annotations

import io
import json
from typing import Any

from bot.texts import t
from bot.texts.format import Lang, long_date, number_id
from models.services.weekly import WeeklySummary


def _pyplot() -> Any:
    """matplotlib on the Agg backend, imported on first use: it costs ~40 MB and charts are drawn weekly."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def chart_data(summary: WeeklySummary) -> dict[str, dict[str, int]]:
    """Revenue per category this week and last week, as drawn."""
    return {
        c.name: {"this_week": c.revenue, "last_week": c.prev_revenue}
        for c in summary.categories
    }


def weekly_chart_png(summary: WeeklySummary, lang: Lang = "id") -> bytes:
    """A grouped bar chart of revenue per category, this week against last week."""
    data = chart_data(summary)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    try:
        draw_weekly(ax, summary, data, lang)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Description": json.dumps(data, sort_keys=True)})
    finally:
        plt.close(fig)
    return buffer.getvalue()


def draw_weekly(ax: Any, summary: WeeklySummary, data: dict[str, dict[str, int]], lang: Lang) -> None:
    """Draws the bars on `ax`: whole-rupiah ticks from zero, and a label only on bars that have sales."""
    from matplotlib.ticker import MaxNLocator

    names = list(data) or ["-"]
    this_week = [data[n]["this_week"] for n in data] or [0]
    last_week = [data[n]["last_week"] for n in data] or [0]
    xs = range(len(names))
    width = 0.4
    bars = ax.bar([x + width / 2 for x in xs], this_week, width, label=t(lang, "mg_chart_this"), color="#2e7d32")
    ax.bar([x - width / 2 for x in xs], last_week, width, label=t(lang, "mg_chart_prev"), color="#b0bec5")
    ax.bar_label(bars, labels=[number_id(v) if v else "" for v in this_week], fontsize=8, padding=2)
    ax.set_xticks(list(xs), names, rotation=20, ha="right", fontsize=9)
    ax.set_title(
        f"{t(lang, 'mg_chart_title')}\n{long_date(summary.monday, lang)} – {long_date(summary.sunday, lang)}",
        fontsize=11,
    )
    # A week without sales would otherwise get ticks at fractions of a rupiah, each printed "0".
    ax.set_ylim(0, max(1, *this_week, *last_week) * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(lambda value, _: number_id(int(value)))
    ax.legend(fontsize=9)
