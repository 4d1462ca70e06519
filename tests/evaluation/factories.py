"""Evaluation records for tests: factory-boy factories straight into the database (for
reads and query budgets), and helpers that go through the services (for anything
whose history or checks matter)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from evaluation import models, services
from tests.activities.factories import ActivityFactory

PERSONAS = ["secretariat", "pc_fr", "pc_de", "bureau_chair", "expert", "outsider", "anonymous"]
RATINGS = {"relevance": 4, "quality": 5, "usefulness": 3, "impact": 4}
REPORTS = "/api/v1/progress-reports/"
INDICATORS = "/api/v1/indicators/"
FEEDBACK = "/api/v1/feedback-requests/"
IMPACT = "/api/v1/impact-assessments/"


def refused(response, persona: str) -> bool:
    """Anonymous is asked to authenticate (401, the token scheme named); a logged-in
    user without the right is refused (403)."""
    return response.status_code == (401 if persona == "anonymous" else 403)


def today() -> dt.date:
    return timezone.localdate()


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgressReport

    activity = factory.SubFactory(ActivityFactory)
    period = "2016-H1"
    status = models.ProgressReport.Status.ON_TRACK
    percent_complete = 40
    narrative = "Going well."


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Indicator

    activity = factory.SubFactory(ActivityFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "people"
    baseline = Decimal("0")
    target = Decimal("100")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    date = dt.date(2016, 3, 1)
    value = Decimal("10")


class FeedbackRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FeedbackRequest

    activity = factory.SubFactory(ActivityFactory)
    audience = models.FeedbackRequest.Audience.EXPERTS
    questions = factory.Sequence(lambda n: f"Question {n}?")
    deadline = factory.LazyFunction(lambda: today() + dt.timedelta(days=7))


def file_report(activity, actor, period: str = "2016-H1", **fields) -> models.ProgressReport:
    """A progress report filed through the service."""
    values = {"status": "on_track", "percent_complete": 40, "narrative": "Going well.", **fields}
    return services.progress_report_file(activity=activity, actor=actor, period=period, **values)


def open_request(activity, secretariat, audience: str = "experts", **fields):
    """A feedback request opened through the service, answerable for a week."""
    values = {"questions": "Was it useful?", "deadline": today() + dt.timedelta(days=7), **fields}
    return services.feedback_request_open(
        activity=activity, actor=secretariat, audience=audience, **values
    )


def url(name: str, *args) -> str:
    """The address of an evaluation page."""
    from django.urls import reverse

    return reverse(f"evaluation:{name}", args=args)


def answer_data(prefix: str = "", **ratings) -> dict:
    """The answer form's fields (with a form prefix), ratings overridable."""
    values = {**RATINGS, "comments": "Useful.", **ratings}
    return {f"{prefix}{key}": value for key, value in values.items()}
