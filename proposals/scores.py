"""A proposal's scores: each criterion's marks, means and spread, the weighted total
and the recommendation against the work programme's thresholds (read by the
ranking, the suggestion and a proposal's page through ``proposals.selectors``)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from pompidou.lib.l10n import number
from programme.models import AdoptionCriterion

from .models import Assessment, CriterionScore, Proposal, Support

TWO = Decimal("0.01")


@dataclass
class CriterionResult:
    criterion: AdoptionCriterion
    scores: dict[int, Decimal] = field(default_factory=dict)  # assessor id → score
    comments: dict[int, str] = field(default_factory=dict)
    mean: Decimal | None = None
    spread: Decimal | None = None
    met: bool | None = None  # for the computed criterion 1

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= 2


@dataclass
class Score:
    proposal_id: int
    criteria: list[CriterionResult]
    assessors: list  # users, in assignment order
    submitted: int
    supported: bool
    weighted_total: Decimal | None
    maximum: Decimal
    percentage: Decimal | None
    recommended: bool
    reasons: list[str]

    @property
    def disagreements(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.disagreement]


def scores_for(proposals: list[Proposal]) -> dict[int, Score]:
    """Scores of several proposals in 4 queries: criteria, assessments, scores, supports."""
    from django.utils.translation import gettext as _

    ids = [p.pk for p in proposals]
    by_wp = {p.pk: p.work_programme_id for p in proposals}
    wps = {p.work_programme_id: p.work_programme for p in proposals}
    criteria = defaultdict(list)
    for c in AdoptionCriterion.objects.filter(work_programme_id__in=set(by_wp.values())).order_by(
        "number"
    ):
        criteria[c.work_programme_id].append(c)
    assessments = defaultdict(list)
    for a in (
        Assessment.objects.filter(proposal_id__in=ids, status=Assessment.Status.SUBMITTED)
        .select_related("assessor")
        .order_by("created_at")
    ):
        assessments[a.proposal_id].append(a)
    # proposal id → criterion id → assessor id → score / comment
    values: defaultdict[int, defaultdict[int, dict[int, Decimal]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    comments: defaultdict[int, defaultdict[int, dict[int, str]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for s in CriterionScore.objects.filter(
        assessment__proposal_id__in=ids, assessment__status=Assessment.Status.SUBMITTED
    ).values(
        "assessment__proposal_id", "assessment__assessor_id", "criterion_id", "score", "comment"
    ):
        pid, aid, cid = (
            s["assessment__proposal_id"],
            s["assessment__assessor_id"],
            s["criterion_id"],
        )
        values[pid][cid][aid] = s["score"]
        comments[pid][cid][aid] = s["comment"]
    supported = set(
        Support.objects.filter(proposal_id__in=ids).values_list("proposal_id", flat=True)
    )
    # The same words for every proposal: translated once.
    not_supported = _("Criterion 1 is not met: no other delegation supports it.")
    incomplete = _("Not every criterion has a submitted score yet.")
    thresholds = {pk: number(wp.min_criterion_mean) for pk, wp in wps.items()}
    weights = {c.pk: c.weight.as_integer_ratio() for cs in criteria.values() for c in cs}
    result = {}
    for p in proposals:
        wp = wps[p.work_programme_id]
        # Exact arithmetic (the weighted total as the integers num/den, a fraction), so
        # "two thirds of the maximum" compares exactly.
        rows, num, den, maximum, reasons = [], 0, 1, Decimal("0"), []
        complete = bool(assessments[p.pk])
        for c in criteria[p.work_programme_id]:
            row = CriterionResult(c)
            if c.computed:
                row.met = p.pk in supported
                rows.append(row)
                continue
            row.scores = dict(values[p.pk][c.pk])
            row.comments = dict(comments[p.pk][c.pk])
            maximum += c.weight * 5
            if row.scores:
                marks = list(row.scores.values())
                marked = sum(marks, Decimal(0))
                row.mean = (marked / len(marks)).quantize(TWO, ROUND_HALF_UP)
                row.spread = max(marks) - min(marks)
                # + weight * marked / len(marks)
                wn, wd = weights[c.pk]
                mn, md = marked.as_integer_ratio()
                term_num, term_den = wn * mn, wd * md * len(marks)
                num, den = num * term_den + term_num * den, den * term_den
            else:
                complete = False
            rows.append(row)
        total = Fraction(num, den)
        is_supported = p.pk in supported
        exact = Decimal(total.numerator) / Decimal(total.denominator)
        weighted = exact.quantize(TWO, ROUND_HALF_UP) if complete else None
        percentage = (
            (exact * 100 / maximum).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if (complete and maximum)
            else None
        )
        if not is_supported:
            reasons.append(not_supported)
        if not complete:
            reasons.append(incomplete)
        else:
            low = [
                r.criterion.number
                for r in rows
                if r.mean is not None and r.mean < wp.min_criterion_mean
            ]
            if low:
                reasons.append(
                    _("Mean below %(t)s on criteria %(c)s.")
                    % {"t": thresholds[p.work_programme_id], "c": ", ".join(map(str, low))}
                )
            # total/maximum ≥ numerator/denominator, compared exactly.
            if total * wp.min_total_denominator < Fraction(maximum) * wp.min_total_numerator:
                reasons.append(
                    _("Weighted total %(t)s is below %(n)s/%(d)s of the maximum %(m)s.")
                    % {
                        "t": number(exact.quantize(TWO, ROUND_HALF_UP)),
                        "n": wp.min_total_numerator,
                        "d": wp.min_total_denominator,
                        "m": number(maximum),
                    }
                )
        assessors = [a.assessor for a in assessments[p.pk]]
        result[p.pk] = Score(
            p.pk,
            rows,
            assessors,
            len(assessments[p.pk]),
            is_supported,
            weighted,
            maximum,
            percentage,
            not reasons,
            reasons,
        )
    return result


def score_for(proposal: Proposal) -> Score:
    return scores_for([proposal])[proposal.pk]
