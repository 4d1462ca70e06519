"""Demo evaluation record (``load_demo``): progress reports for most activities and
half-years of 2015–2018 (some late or missing, some at risk), indicators with
measurements, feedback requests with responses, impact assessments.

Each step runs at its date in the period (``replay_at``): a report is filed three
weeks after its half-year and accepted three weeks later, feedback is asked for two
weeks after an activity ends with a month to answer. The one request still open
stands as it did in November 2018."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from activities.models import Activity
from pompidou.lib.clock import replay_at

from . import periods, services
from .models import ProgressReport

User = get_user_model()
STATUSES = ["on_track", "on_track", "on_track", "at_risk", "on_track", "off_track", "on_track"]


@transaction.atomic
def load_demo_evaluation() -> int:
    if ProgressReport.objects.exists():
        return 0
    secretariat = User.objects.filter(username="secretariat").first()
    experts = list(User.objects.filter(groups__name="expert").order_by("username"))
    pcs = list(User.objects.filter(groups__name="correspondent").order_by("username")[:4])
    if secretariat is None:
        return 0
    activities = list(
        Activity.objects.exclude(status="planned")
        .select_related("lead_member_state")
        .order_by("reference")
    )
    filed = 0
    for index, activity in enumerate(activities):
        halves = [
            p
            for y in activity.years
            for p in periods.of_year(y)
            if periods.bounds(p)[1] >= activity.start_date
            and periods.bounds(p)[0] <= activity.end_date
            and periods.bounds(p)[1] < dt.date(2018, 12, 31)
        ]
        for number, period in enumerate(halves):
            # Every seventh activity skips its latest report: it shows as overdue.
            if index % 7 == 3 and number == len(halves) - 1:
                continue
            share = min(100, int(100 * (number + 1) / max(len(halves), 1)))
            status = STATUSES[(index + number) % len(STATUSES)]
            filed_on = periods.bounds(period)[1] + dt.timedelta(days=21)
            with replay_at(filed_on):
                report = services.progress_report_file(
                    activity=activity,
                    actor=secretariat,
                    period=period,
                    status=status,
                    percent_complete=share,
                    narrative=f"{period}: meetings held as planned; "
                    + (
                        "delays in the expert group."
                        if status != "on_track"
                        else "outputs on schedule."
                    ),
                    achievements="Expert meeting held; draft report circulated.",
                    budget_spent=(activity.planned_budget * share / 100).quantize(Decimal("1")),
                )
            filed += 1
            if periods.bounds(period)[1].year < 2018:
                with replay_at(filed_on + dt.timedelta(days=21)):
                    services.progress_report_accept(report=report, actor=secretariat)
        if activity.status == "completed":
            Activity.objects.filter(pk=activity.pk).update(
                spent=(activity.planned_budget * Decimal("0.92")).quantize(Decimal("1"))
            )
        if index % 4 == 0:
            with replay_at(activity.start_date):
                indicator = services.indicator_add(
                    activity=activity,
                    actor=secretariat,
                    name="Practitioners trained",
                    unit="people",
                    baseline=0,
                    target=120,
                )
            for step, value in enumerate((35, 80, 130 if index % 8 == 0 else 95)):
                measured = activity.start_date + dt.timedelta(days=90 * (step + 1))
                with replay_at(measured + dt.timedelta(days=7)):
                    services.measurement_add(
                        indicator=indicator, actor=secretariat, date=measured, value=value
                    )
        if index % 5 == 0 and activity.status == "completed":
            asked = activity.end_date + dt.timedelta(days=14)
            with replay_at(asked):
                request = services.feedback_request_open(
                    activity=activity,
                    actor=secretariat,
                    audience="experts",
                    questions="How relevant and useful were the outputs for your work?",
                    deadline=asked + dt.timedelta(days=30),
                )
            for n, expert in enumerate(experts):
                with replay_at(asked + dt.timedelta(days=10 + n)):
                    services.feedback_respond(
                        request=request,
                        actor=expert,
                        relevance=4 + n % 2,
                        quality=4,
                        usefulness=3 + n,
                        impact=3,
                        comments="Useful exchange of practice.",
                    )
            for n, pc in enumerate(pcs[:2]):
                from .models import FeedbackResponse

                with replay_at(asked + dt.timedelta(days=20 + n)):
                    FeedbackResponse.objects.create(
                        request=request,
                        respondent=pc,
                        relevance=5,
                        quality=4 - n,
                        usefulness=4,
                        impact=3 + n,
                    )
            with replay_at(activity.end_date + dt.timedelta(days=180)):
                services.impact_assessment_record(
                    activity=activity,
                    actor=secretariat,
                    date=activity.end_date,
                    method="Survey of participants six months after the activity",
                    findings="Most participants used the guidance in their national action plans.",
                    rating=4 if index % 2 else 3,
                )
    # One open request with an external invitee (a link by e-mail).
    ongoing = Activity.objects.filter(status="ongoing").order_by("reference").first()
    if ongoing:
        with replay_at(dt.date(2018, 11, 19)):
            services.feedback_request_open(
                activity=ongoing,
                actor=secretariat,
                audience="named",
                recipients=experts[:1],
                invitees=[("Dr Ana Costa", "ana.costa@example.org")],
                questions="Is the activity on the right track? What should change?",
                deadline=dt.date(2018, 12, 7),
            )
    return filed
