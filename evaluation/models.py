"""Evaluation (section 2.3 of the work programme): progress monitoring, indicators,
feedback from experts and Permanent Correspondents, and initial impact."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from pompidou.lib.files import GeneratedName, validate_document
from pompidou.models import ReportJob, TimeStampedModel

PERIOD_REGEX = r"^[0-9]{4}-H[12]$"


class ProgressReport(TimeStampedModel):
    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")

    class Review(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")
        ACCEPTED = "accepted", _("Accepted")

    # What the report's authors write: the one list the service, the page's form and
    # the API's input serializer use (the last two check it when imported).
    EDITABLE_FIELDS = ("status", "percent_complete", "narrative", "achievements", "budget_spent")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="progress_reports"
    )
    period = models.CharField(_("period"), max_length=7, help_text=_("A half-year, e.g. 2016-H1."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    narrative = models.TextField(_("narrative"))
    achievements = models.TextField(_("achievements against the expected results"), blank=True)
    budget_spent = models.DecimalField(
        _("budget spent to date (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_reports"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    review = models.CharField(
        max_length=10, choices=Review.choices, default=Review.SUBMITTED, editable=False
    )
    reviewer_comment = models.TextField(_("review by the supervising Bureau member"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["activity", "period"]
        indexes = [
            models.Index(fields=["updated_at", "id"], name="progressreport_updated"),
            # The reports of a half-year (the overdue counts and lists look them up).
            models.Index(fields=["period", "activity"], name="progressreport_period"),
            # The reports not accepted yet (the dashboards count them).
            models.Index(
                fields=["activity"],
                name="progressreport_not_accepted",
                condition=Q(review__in=["submitted", "reviewed"]),
            ),
            # The reports waiting for their supervisor's review (the Bureau's dashboard
            # counts them): a few of the many not accepted, most of them reviewed.
            models.Index(
                fields=["activity"],
                name="progressreport_to_review",
                condition=Q(review="submitted"),
            ),
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "period"], name="progressreport_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_REGEX), name="progressreport_period_half_year"
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0, percent_complete__lte=100),
                name="progressreport_percent_0_100",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["on_track", "at_risk", "off_track"]),
                name="progressreport_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(budget_spent__gte=0), name="progressreport_spent_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(review__in=["submitted", "reviewed", "accepted"]),
                name="progressreport_review_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.reference} {self.period}"

    @property
    def is_accepted(self) -> bool:
        return self.review == self.Review.ACCEPTED


class Indicator(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )

    # Moves on every change, for the API's sync (pompidou/sync.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["activity", "name"]
        indexes = [models.Index(fields=["updated_at", "id"], name="indicator_updated")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["higher", "lower"]), name="indicator_direction_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def reached(self, value: Decimal | None) -> bool | None:
        if value is None:
            return None
        return (
            value >= self.target
            if self.direction == self.Direction.HIGHER
            else (value <= self.target)
        )


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "date"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.date})"


class FeedbackRequest(TimeStampedModel):
    class Audience(models.TextChoices):
        EXPERTS = "experts", _("Experts")
        CORRESPONDENTS = "correspondents", _("Permanent Correspondents")
        NAMED = "named", _("Named people")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    audience = models.CharField(_("audience"), max_length=15, choices=Audience.choices)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="feedback_requests",
        verbose_name=_("named people"),
    )
    questions = models.TextField(_("questions"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    # Not a column: whom the request named and where each stands, set on the requests
    # of an activity's evaluation tab (selectors.activity_evaluation).
    recipient_states: list[dict]

    class Meta:
        ordering = ["-deadline"]
        indexes = [models.Index(fields=["updated_at", "id"], name="feedbackrequest_updated")]
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=["experts", "correspondents", "named"]),
                name="feedbackrequest_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="feedbackrequest_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.reference}: feedback by {self.deadline}"


class FeedbackInvitation(models.Model):
    """A respondent without an account: answers once through a signed link."""

    request = models.ForeignKey(
        FeedbackRequest, on_delete=models.CASCADE, related_name="invitations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    used_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "email"], name="feedbackinvitation_once_per_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


RATING = [MinValueValidator(1), MaxValueValidator(5)]


class FeedbackResponse(models.Model):
    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_responses",
    )
    invitation = models.OneToOneField(
        FeedbackInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
    )
    relevance = models.PositiveSmallIntegerField(_("relevance"), validators=RATING)
    quality = models.PositiveSmallIntegerField(_("quality"), validators=RATING)
    usefulness = models.PositiveSmallIntegerField(_("usefulness"), validators=RATING)
    impact = models.PositiveSmallIntegerField(_("likely impact"), validators=RATING)
    comments = models.TextField(_("comments"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("feedback response")
        verbose_name_plural = _("feedback responses")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "respondent"],
                condition=Q(respondent__isnull=False),
                name="feedbackresponse_once_per_respondent",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__gte": 1, f"{f}__lte": 5}),
                    name=f"feedbackresponse_{f}_1_5",
                )
                for f in ("relevance", "quality", "usefulness", "impact")
            ],
        ]

    def __str__(self) -> str:
        return f"Response to {self.request_id}"


class ImpactAssessment(TimeStampedModel):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="impact_assessments"
    )
    date = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=200)
    findings = models.TextField(_("findings"))
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), validators=RATING)
    evidence = models.FileField(
        _("evidence (PDF or Word)"),
        upload_to=GeneratedName("evaluation/evidence"),
        blank=True,
        validators=[validate_document],
    )
    # The uploader's name of the file, for its download (the stored name is generated).
    evidence_name = models.CharField(max_length=200, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-date"]
        indexes = [models.Index(fields=["updated_at", "id"], name="impact_updated")]
        verbose_name = _("impact assessment")
        verbose_name_plural = _("impact assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="impactassessment_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.reference} {self.date}"


class ReminderLog(models.Model):
    """A reminder sent: who, about what, when; so a restart never resends within a week."""

    kind = models.CharField(max_length=30)
    item = models.CharField(max_length=50)  # e.g. "activity:12:2016-H1", "feedback:7"
    recipient = models.CharField(max_length=254)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "item", "recipient", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.item} → {self.recipient}"


class EvaluationReport(ReportJob):
    """A compiled evaluation report over a period and a scope (PDF and DOCX)."""

    class Scope(models.TextChoices):
        ALL = "all", _("Whole programme")
        PRIORITY = "priority", _("A thematic priority")
        FORMAT = "format", _("An activity format")

    work_programme = models.ForeignKey(
        "programme.WorkProgramme", on_delete=models.PROTECT, related_name="evaluation_reports"
    )
    first_year = models.PositiveSmallIntegerField(_("from"))
    last_year = models.PositiveSmallIntegerField(_("to"))
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.ALL)
    priority = models.ForeignKey(
        "programme.ThematicPriority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    format = models.ForeignKey(
        "programme.PermanentFormat",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The document's identity (years and scope): one compilation of it at a time.
    key = models.CharField(max_length=60, editable=False)

    class Meta(ReportJob.Meta):
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status__in=["queued", "running"]),
                name="evaluationreport_one_active",
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="evaluationreport_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.first_year}–{self.last_year})"
