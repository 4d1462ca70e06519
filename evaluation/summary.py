"""The evaluation report's written summary: sentences made from its figures, in the
active language, with the plural each number calls for. The PDF and the Word file
print the same paragraphs.

The "main themes" of the feedback are what the figures can say without reading the
comments for the reader: the aspects rated highest and lowest, and the activities
whose responses pair a comment with a low rating (section 4 quotes those comments)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import Activity

from .report_text import RAG_ORDER, RATINGS, and_list, day, euros, num, percent, rating_label, share

if TYPE_CHECKING:
    from .documents import EvaluationData

# A response is critical when it comes with a comment and rates an aspect this low (1–5).
CRITICAL_RATING = 2
# The activities the summary names for their critical comments (section 4 lists all).
NAMED_ACTIVITIES = 3


@dataclass
class Critical:
    """The responses of one activity that pair a comment with a low rating."""

    activity: Activity
    comments: list[tuple[int, str]]  # (lowest rating, comment), in the order received


def _count(text: str, count: int) -> str:
    """``text`` (an ngettext of ``count``, so makemessages finds both forms) with its count."""
    return text % {"count": num(count)}


def _scope(d: EvaluationData) -> str:
    report = d.report
    if report.priority_id:
        return _("thematic priority %(priority)s") % {"priority": d.scope_label}
    if report.format_id:
        return _("the activity format %(format)s") % {"format": d.scope_label}
    return _("the whole work programme")


def _statuses(by_status: dict[str, int]) -> str:
    words = {
        "planned": lambda n: _count(ngettext("%(count)s planned", "%(count)s planned", n), n),
        "ongoing": lambda n: _count(ngettext("%(count)s ongoing", "%(count)s ongoing", n), n),
        "completed": lambda n: _count(ngettext("%(count)s completed", "%(count)s completed", n), n),
        "suspended": lambda n: _count(ngettext("%(count)s suspended", "%(count)s suspended", n), n),
        "cancelled": lambda n: _count(ngettext("%(count)s cancelled", "%(count)s cancelled", n), n),
    }
    return and_list(
        [words[key](by_status[key]) for key in Activity.Status.values if by_status.get(key)]
    )


def _rag(by_rag: dict[str, int]) -> str:
    on, risk, off, none = (by_rag.get(key, 0) for key in RAG_ORDER)
    parts = [
        _count(
            ngettext("%(count)s activity is on track", "%(count)s activities are on track", on),
            on,
        ),
        _count(ngettext("%(count)s is at risk", "%(count)s are at risk", risk), risk),
        _count(ngettext("%(count)s is off track", "%(count)s are off track", off), off),
    ]
    if none:
        parts.append(
            _count(
                ngettext(
                    "%(count)s has no report for the period",
                    "%(count)s have no report for the period",
                    none,
                ),
                none,
            )
        )
    return _(
        "According to the latest progress report of each activity in the period, %(list)s."
    ) % {"list": and_list(parts)}


def _budget(d: EvaluationData) -> list[str]:
    planned = sum((line.activity.planned_budget for line in d.lines), Decimal(0))
    spent = sum((line.activity.spent for line in d.lines), Decimal(0))
    if planned:
        sentences = [
            _("Spending to date stands at %(spent)s of the %(planned)s planned (%(share)s).")
            % {
                "spent": euros(spent),
                "planned": euros(planned),
                "share": percent(share(spent, planned)),
            }
        ]
    else:
        sentences = [
            _("No budget was planned for these activities; %(spent)s has been spent to date.")
            % {"spent": euros(spent)}
        ]
    over = [row["number"] for row in d.overview.budget_by_priority if row["spent"] > row["planned"]]
    if over:
        sentences.append(
            ngettext(
                "Spending exceeds the planned budget under priority %(priorities)s.",
                "Spending exceeds the planned budget under priorities %(priorities)s.",
                len(over),
            )
            % {"priorities": and_list(over)}
        )
    return sentences


def _indicators(indicators: dict) -> str:
    measured, met = indicators["measured"], indicators["on_target"]
    if not indicators["total"]:
        return _("No indicator has been set for these activities.")
    if not measured:
        return _("No indicator has been measured yet.")
    return _("%(measured)s, of which %(met)s.") % {
        "measured": _count(
            ngettext(
                "%(count)s indicator has been measured",
                "%(count)s indicators have been measured",
                measured,
            ),
            measured,
        ),
        "met": _count(
            ngettext("%(count)s has met its target", "%(count)s have met their target", met), met
        )
        if met
        else _("none has met its target yet"),
    }


def _overdue(count: int) -> str:
    if not count:
        return _("No progress report is overdue.")
    return _count(
        ngettext(
            "%(count)s progress report is overdue (listed in section 7).",
            "%(count)s progress reports are overdue (listed in section 7).",
            count,
        ),
        count,
    )


def _ratings(feedback: dict) -> str:
    phrases = {
        "relevance": _("%(score)s for relevance"),
        "quality": _("%(score)s for quality"),
        "usefulness": _("%(score)s for usefulness"),
        "impact": _("%(score)s for likely impact"),
    }
    return and_list(
        [
            phrases[key] % {"score": num(feedback[key], 1)}
            for key in RATINGS
            if feedback[key] is not None
        ]
    )


def _themes(feedback: dict) -> str:
    scores = {key: round(Decimal(feedback[key]), 1) for key in RATINGS if feedback[key] is not None}
    high, low = max(scores.values()), min(scores.values())
    if high == low:
        return _("Every aspect receives the same mean rating.")
    return _("Rated highest: %(high)s; rated lowest: %(low)s.") % {
        "high": and_list([rating_label(k) for k, v in scores.items() if v == high]),
        "low": and_list([rating_label(k) for k, v in scores.items() if v == low]),
    }


def _critical(critical: Sequence[Critical]) -> str:
    total = sum(len(c.comments) for c in critical)
    if not total:
        return _("No response pairs a comment with a rating of %(rating)s or less.") % {
            "rating": CRITICAL_RATING
        }
    named = [
        f"{c.activity.reference} {c.activity.title}"
        + (f" ({num(len(c.comments))})" if total > 1 else "")
        for c in critical[:NAMED_ACTIVITIES]
    ]
    others = len(critical) - NAMED_ACTIVITIES
    if others > 0:
        named.append(
            _count(
                ngettext("%(count)s other activity", "%(count)s other activities", others), others
            )
        )
    return ngettext(
        "%(count)s response pairs a comment with a rating of %(rating)s or less: %(activities)s.",
        "%(count)s responses pair a comment with a rating of %(rating)s or less: %(activities)s.",
        total,
    ) % {"count": num(total), "rating": CRITICAL_RATING, "activities": and_list(named)}


def _feedback(d: EvaluationData) -> list[str]:
    fb = d.overview.feedback
    if not fb["responses"]:
        return [_("No feedback has been received on these activities.")]
    received = ngettext(
        "%(count)s response was received to the feedback requests; on a scale of 1 to 5, it "
        "gives %(ratings)s.",
        "%(count)s responses were received to the feedback requests; on a scale of 1 to 5, "
        "they give on average %(ratings)s.",
        fb["responses"],
    ) % {"count": num(fb["responses"]), "ratings": _ratings(fb)}
    return [received, _themes(fb), _critical(d.critical)]


def paragraphs(d: EvaluationData) -> list[str]:
    """The summary as paragraphs: the period and the activities, their progress, the
    money, the indicators and the late reports, the feedback."""
    report, o = d.report, d.overview
    period = _("This report covers %(scope)s from %(start)s to %(end)s.") % {
        "scope": _scope(d),
        "start": day(dt.date(report.first_year, 1, 1)),
        "end": day(dt.date(report.last_year, 12, 31)),
    }
    if not o.total:
        none = _("No activity ran in this period.")
        return [f"{period} {none}"]
    ran = ngettext(
        "%(count)s activity ran in the period: %(statuses)s.",
        "%(count)s activities ran in the period: %(statuses)s.",
        o.total,
    ) % {"count": num(o.total), "statuses": _statuses(o.by_status)}
    return [
        f"{period} {ran}",
        _rag(o.by_rag),
        " ".join(_budget(d)),
        f"{_indicators(o.indicators)} {_overdue(len(o.overdue))}",
        " ".join(_feedback(d)),
    ]
