"""Generated evaluation: half-yearly progress reports (some periods missing, so some
are overdue), indicators with measurements, feedback requests with responses, and
impact assessments of completed activities."""

import datetime as dt
import random
from decimal import Decimal

from activities.models import Activity
from evaluation import periods
from evaluation.models import (
    FeedbackRequest,
    FeedbackResponse,
    ImpactAssessment,
    Indicator,
    Measurement,
    ProgressReport,
)

from . import vocabulary as words
from .bulk import insert, moment
from .programmes import Frame

S = Activity.Status
REPORTING = {S.ONGOING, S.COMPLETED, S.SUSPENDED, S.CANCELLED}


def _periods(a: Activity, last: tuple[int, int]) -> list[str]:
    """The half-years from the activity's start to its end, up to ``last`` (the latest
    one due), as (year, half) counted here: the portal's parser is too slow for a
    million of them."""
    out = []
    year, half = a.start_date.year, 1 if a.start_date.month <= 6 else 2
    end = (a.end_date.year, 1 if a.end_date.month <= 6 else 2)
    while (year, half) <= last and (year, half) <= end:
        out.append(f"{year}-H{half}")
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return out


def generate_evaluation(
    rng: random.Random, frame: Frame, activities: list[Activity], today: dt.date
) -> dict[str, int]:
    reports, indicators, requests, impacts = [], [], [], []
    people = list(frame.correspondents.values()) + frame.experts
    last = periods.parse(periods.last_due(today))
    for a in activities:
        if a.status not in REPORTING:
            continue
        author = frame.correspondents.get(a.lead_member_state_id or 0, frame.secretariat)
        chance = 0.95 if a.status == S.COMPLETED else 0.7
        for period in _periods(a, last):
            if rng.random() > chance:
                continue
            end = periods.bounds(period)[1]
            filed = min(today, end + dt.timedelta(days=rng.randrange(1, 45)))
            old = filed < today - dt.timedelta(days=120)
            review = rng.choice(["accepted", "accepted", "reviewed"]) if old else "submitted"
            reports.append(
                ProgressReport(
                    activity_id=a.pk,
                    period=period,
                    status=rng.choice(["on_track", "on_track", "on_track", "at_risk", "off_track"]),
                    percent_complete=min(100, rng.randrange(10, 101)),
                    narrative=rng.choice(words.NARRATIVES_EN),
                    achievements=words.pick(rng, words.RESULTS_EN) if rng.random() < 0.6 else "",
                    budget_spent=(a.spent * Decimal(rng.randrange(20, 101)) / 100).quantize(
                        Decimal("1")
                    ),
                    submitted_by_id=author,
                    submitted_at=moment(filed),
                    review=review,
                    reviewer_comment="Thank you, noted." if review != "submitted" else "",
                    reviewed_by_id=a.supervisor_id if review != "submitted" else None,
                    accepted_by_id=frame.secretariat if review == "accepted" else None,
                    accepted_at=moment(filed + dt.timedelta(days=30))
                    if review == "accepted"
                    else None,
                    created_at=moment(filed),
                    updated_at=moment(filed),
                )
            )
        if rng.random() < 0.4:
            name, unit, direction = rng.choice(words.INDICATORS_EN)
            baseline = Decimal(rng.randrange(0, 200))
            step = Decimal(rng.randrange(5, 60))
            target = baseline + step if direction == "higher" else max(Decimal(0), baseline - step)
            indicators.append(
                (
                    Indicator(
                        activity_id=a.pk,
                        name=name,
                        unit=unit,
                        baseline=baseline,
                        target=target,
                        direction=direction,
                    ),
                    a,
                )
            )
        if rng.random() < 0.08:
            deadline = a.start_date + dt.timedelta(days=rng.randrange(30, 400))
            requests.append(
                FeedbackRequest(
                    activity_id=a.pk,
                    audience=rng.choice(["experts", "correspondents"]),
                    questions=rng.choice(words.FEEDBACK_QUESTIONS_EN),
                    deadline=deadline,
                    status="closed" if deadline < today else "open",
                    created_by_id=frame.secretariat,
                    created_at=moment(min(today, deadline - dt.timedelta(days=21))),
                    updated_at=moment(min(today, deadline)),
                )
            )
        if a.status == S.COMPLETED and rng.random() < 0.05:
            day = min(today, a.end_date + dt.timedelta(days=rng.randrange(30, 300)))
            impacts.append(
                ImpactAssessment(
                    activity_id=a.pk,
                    date=day,
                    method=rng.choice(["Survey of participants", "Follow-up interviews"]),
                    findings=words.pick(rng, words.RESULTS_EN, 2),
                    rating=rng.randrange(1, 6),
                    recorded_by_id=frame.secretariat,
                    created_at=moment(day),
                    updated_at=moment(day),
                )
            )
    insert(reports)
    saved = insert([i for i, _ in indicators])
    measurements = []
    for indicator, (_, a) in zip(saved, indicators, strict=True):
        for k in range(rng.randrange(0, 4)):
            day = a.start_date + dt.timedelta(days=90 * (k + 1))
            if day < today:
                value = indicator.baseline + (indicator.target - indicator.baseline) * k / 3
                measurements.append(
                    Measurement(
                        indicator_id=indicator.pk, date=day, value=value.quantize(Decimal("1"))
                    )
                )
    insert(measurements)
    responses = []
    for request in insert(requests):
        for respondent in rng.sample(people, min(len(people), rng.randrange(0, 6))):
            responses.append(
                FeedbackResponse(
                    request_id=request.pk,
                    respondent_id=respondent,
                    relevance=rng.randrange(2, 6),
                    quality=rng.randrange(2, 6),
                    usefulness=rng.randrange(1, 6),
                    impact=rng.randrange(1, 6),
                    comments=rng.choice(words.COMMENTS_EN),
                    created_at=moment(min(today, request.deadline)),
                )
            )
    insert(responses)
    insert(impacts)
    return {
        "progress_reports": len(reports),
        "indicators": len(indicators),
        "measurements": len(measurements),
        "feedback_requests": len(requests),
        "feedback_responses": len(responses),
        "impact_assessments": len(impacts),
    }
