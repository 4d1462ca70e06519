"""The compiled evaluation report's charts, drawn for paper (matplotlib, Agg).

Every chart has its title, axis labels and legend in the active language, tick labels
written by the language's number format (never "1e6": no offset, no scientific
notation), money in thousands of euros, and each bar its count or share written on it.
Red, amber and green carry a hatch as well, so a greyscale print still tells them apart.
``*_figure`` returns the figure (the tests read its texts); ``png`` prints one."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .charts import PLANNED, RAG_COLORS, SPENT, STATUS_COLORS
from .report_text import RAG_ORDER, num, rag_label, status_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Hatches by state: a pattern for each colour, told apart in black and white.
RAG_HATCHES = {"on_track": "", "at_risk": "///", "off_track": "xxx", "none": "..."}
STATUS_HATCHES = {
    "planned": "...",
    "ongoing": "",
    "completed": "///",
    "suspended": "\\\\\\",
    "cancelled": "xxx",
}
SPENT_HATCH = "///"
FONT = "DejaVu Sans"


def _figure(height: float = 3.4) -> tuple[Figure, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {
            "font.family": FONT,
            "font.size": 8,
            "hatch.color": "#222222",
            "hatch.linewidth": 0.6,
            # The tick labels are ours (see _number_axis): no "1e6", no offset.
            "axes.formatter.useoffset": False,
            "axes.formatter.limits": (-99, 99),
        }
    )
    # A Figure without pyplot: no global state between the two languages' builds.
    fig = Figure(figsize=(8, height), dpi=150)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _number_axis(ax: Any, places: int = 0) -> None:
    """Value ticks written as the active language writes numbers."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    # Whole numbers when the labels have no decimals: ticks at 0.2 would all read "0".
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=places == 0, min_n_ticks=1))
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: num(Decimal(str(round(value, places + 2))), places))
    )
    ax.grid(axis="y", linewidth=0.4, color="#cccccc")
    ax.set_axisbelow(True)


def _label_bars(ax: Any, bars: Any, texts: Sequence[str]) -> None:
    for bar, text in zip(bars, texts, strict=True):
        ax.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )


def _counts(
    ax: Any,
    keys: Sequence[str],
    counts: Mapping[str, int],
    labels: Sequence[str],
    colors: Mapping[str, str],
    hatches: Mapping[str, str],
) -> None:
    from matplotlib.patches import Patch

    values = [counts.get(k, 0) for k in keys]
    bars = ax.bar(
        range(len(keys)),
        values,
        color=[colors[k] for k in keys],
        hatch=[hatches[k] for k in keys],
        edgecolor="#222222",
        linewidth=0.6,
        width=0.6,
    )
    _label_bars(ax, bars, [num(v) for v in values])
    ax.set_xticks(range(len(keys)), labels)
    ax.set_ylabel(_("Activities"))
    _number_axis(ax)
    ax.set_ylim(0, max([*values, 1]) * 1.18)
    ax.legend(
        handles=[
            Patch(facecolor=colors[k], hatch=hatches[k], edgecolor="#222222", label=label)
            for k, label in zip(keys, labels, strict=True)
        ],
        fontsize=7,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
    )


def rag_figure(by_rag: Mapping[str, int]) -> Figure:
    fig, ax = _figure()
    labels = [rag_label(k) for k in RAG_ORDER]
    _counts(ax, RAG_ORDER, by_rag, labels, RAG_COLORS, RAG_HATCHES)
    ax.set_title(_("Activities by the status of their latest progress report in the period"))
    ax.set_xlabel(_("Status of the latest progress report"))
    fig.tight_layout()
    return fig


def status_figure(by_status: Mapping[str, int]) -> Figure:
    from activities.models import Activity

    keys = list(Activity.Status.values)
    fig, ax = _figure()
    _counts(ax, keys, by_status, [status_label(k) for k in keys], STATUS_COLORS, STATUS_HATCHES)
    ax.set_title(_("Activities by status"))
    ax.set_xlabel(_("Status of the activity"))
    fig.tight_layout()
    return fig


def budget_figure(rows: Sequence[Mapping[str, Any]]) -> Figure:
    """Planned and spent by thematic priority, in thousands of euros."""
    fig, ax = _figure(3.8)
    positions = range(len(rows))
    width = 0.38
    planned = [float(r["planned"]) / 1000 for r in rows]
    spent = [float(r["spent"]) / 1000 for r in rows]
    ax.bar(
        [p - width / 2 for p in positions],
        planned,
        width,
        color=PLANNED,
        edgecolor="#222222",
        linewidth=0.6,
        label=_("Planned budget"),
    )
    bars = ax.bar(
        [p + width / 2 for p in positions],
        spent,
        width,
        color=SPENT,
        hatch=SPENT_HATCH,
        edgecolor="#222222",
        linewidth=0.6,
        label=_("Spent to date"),
    )
    # The share spent, on each "spent" bar: the figure a reader looks for.
    _label_bars(
        ax,
        bars,
        [
            _("%(value)s%%") % {"value": num(s / p * 100, 0)} if p else ""
            for p, s in zip(planned, spent, strict=True)
        ],
    )
    ax.set_xticks(list(positions), [str(r["number"]) for r in rows])
    ax.set_xlabel(_("Thematic priority"))
    ax.set_ylabel(_("Thousands of euros (k€)"))
    top = max([*planned, *spent, 0])
    _number_axis(ax, places=0 if top >= 10 else 1)
    ax.set_ylim(0, (top or 1) * 1.15)
    ax.set_title(_("Budget planned and spent to date by thematic priority (k€)"))
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def charts(overview: Any) -> dict[str, bytes]:
    """The report's three charts as PNG, for the PDF and the Word file alike."""
    return {
        "status": png(status_figure(overview.by_status)),
        "rag": png(rag_figure(overview.by_rag)),
        "budget": png(budget_figure(overview.budget_by_priority)),
    }
