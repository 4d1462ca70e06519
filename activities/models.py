"""Activities of the work programme and the annual programmes of activities."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompidou.lib.files import GeneratedName, validate_document
from pompidou.models import AuditEvent, ReportJob, TimeStampedModel
from programme.models import Meeting, MemberState, PermanentFormat, ThematicPriority, WorkProgramme


class ActivityQuerySet(models.QuerySet["Activity"]):
    def public(self) -> Self:
        """Adopted activities: ad hoc and urgent ones (adopted when created), and the
        annual-route ones that stand in an adopted annual programme. The stored flag
        that ``activities.visibility.refresh_public`` keeps (the rule is written there)."""
        return self.filter(is_public=True)

    def running_in(self, year: int) -> Self:
        return self.filter(start_date__year__lte=year, end_date__year__gte=year)

    def active(self) -> Self:
        """Planned or ongoing: the workflow's "active" group."""
        from .workflow import ACTIVITY_WORKFLOW

        return self.filter(status__in=ACTIVITY_WORKFLOW.group("active"))

    def not_history(self, today: dt.date | None = None) -> Self:
        """Activities whose work programme still runs. Those of a closed programme, or
        of one whose period ended (its last year is over), are history: nothing about
        them is "overdue" any more. The one place of that rule, used by the
        dashboard, the evaluation overview and the reminders."""
        today = today or timezone.localdate()
        return self.exclude(work_programme__status=WorkProgramme.Status.CLOSED).filter(
            work_programme__last_year__gte=today.year
        )


class Activity(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        SUSPENDED = "suspended", _("Suspended")

    class Route(models.TextChoices):
        ANNUAL = "annual", _("Annual programme")
        AD_HOC = "ad_hoc", _("Ad hoc (Permanent Correspondents)")
        URGENT = "urgent", _("Urgent (Bureau)")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    work_programme = models.ForeignKey(
        WorkProgramme,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("work programme"),
    )
    permanent_format = models.ForeignKey(
        PermanentFormat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("activity format"),
        help_text=_("Empty for a time-limited activity outside the formats."),
    )
    adoption_route = models.CharField(
        _("adopted by"), max_length=10, choices=Route.choices, default=Route.ANNUAL
    )
    thematic_priorities = models.ManyToManyField(
        ThematicPriority, related_name="activities", verbose_name=_("thematic priorities")
    )
    lead_member_state = models.ForeignKey(
        MemberState,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_activities",
        verbose_name=_("lead member state"),
    )
    participating_states = models.ManyToManyField(
        MemberState, blank=True, related_name="activities", verbose_name=_("participating states")
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_activities",
        verbose_name=_("supervising Bureau member"),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    carried_over = models.BooleanField(
        _("carried over"),
        default=False,
        help_text=_("Runs beyond the years of its work programme."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, editable=False
    )
    planned_budget = models.DecimalField(
        _("planned budget (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    spent = models.DecimalField(
        _("spent (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    terms_of_reference_file = models.FileField(
        _("terms of reference (PDF or Word)"),
        upload_to=GeneratedName("activities/terms"),
        blank=True,
        validators=[validate_document],
    )
    # The uploader's name of the file, for its download (the stored name is generated).
    terms_of_reference_name = models.CharField(max_length=200, blank=True, editable=False)
    expected_results = models.TextField(_("expected results"), blank=True)
    human_rights_considerations = models.TextField(
        _("human-rights considerations"),
        blank=True,
        help_text=_("Priority 3.1 is transversal: every activity states them before it starts."),
    )
    gender_considerations = models.TextField(
        _("gender considerations"),
        blank=True,
        help_text=_("Gender mainstreaming (3.1): stated before the activity starts."),
    )
    ungass_relevance = models.TextField(_("relevance to UNGASS 2016"), blank=True)
    # Whether the public sees it (adopted): kept by activities.visibility.refresh_public,
    # never written by hand, so the lists filter on an index instead of the rule.
    is_public = models.BooleanField(_("public"), default=False, editable=False)
    # Who changed what, when (pompidou.audit); read by members only (can_view_history).
    history = GenericRelation(AuditEvent, related_query_name="activity")

    objects = ActivityQuerySet.as_manager()

    # The one list of the fields people edit, in the order the form shows them: the
    # service, the form and the API's input serializer all take it from here.
    EDITABLE_FIELDS = (
        "title",
        "description",
        "work_programme",
        "permanent_format",
        "adoption_route",
        "thematic_priorities",
        "lead_member_state",
        "participating_states",
        "supervisor",
        "start_date",
        "end_date",
        "carried_over",
        "planned_budget",
        "spent",
        "terms_of_reference",
        "terms_of_reference_file",
        "expected_results",
        "human_rights_considerations",
        "gender_considerations",
        "ungass_relevance",
    )
    MANY_TO_MANY_FIELDS = ("thematic_priorities", "participating_states")

    class Meta:
        ordering = ["-start_date", "reference"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="activity_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(planned_budget__gte=0), name="activity_budget_not_negative"
            ),
            models.CheckConstraint(condition=Q(spent__gte=0), name="activity_spent_not_negative"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["planned", "ongoing", "completed", "cancelled", "suspended"]
                ),
                name="activity_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(adoption_route__in=["annual", "ad_hoc", "urgent"]),
                name="activity_route_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["start_date", "end_date"]),
            # The activities running in a period (end on or after its start, start on or
            # before its end: the evaluation's figures of a year, the overdue reports) and
            # the calendar feed's (those that end from a day on). Both bounds in the index:
            # the rows of a year are found without reading those that start after it.
            models.Index(fields=["end_date", "start_date"], name="activity_end_start"),
            # The lists' order (the model's), for people who see every activity and,
            # partial, for the public: a page and its keyset cursor read the index in
            # order and stop at the page's end; a numbered page deep in the list walks
            # its OFFSET in the index alone, which holds the key too (an index-only
            # scan, pompidou.listing.ListPaginator).
            models.Index(
                fields=["-start_date", "reference"], include=["id"], name="activity_list_order"
            ),
            models.Index(
                fields=["-start_date", "reference"],
                include=["id"],
                condition=Q(is_public=True),
                name="activity_public_list_order",
            ),
            models.Index(fields=["updated_at", "id"], name="activity_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def years(self) -> range:
        return range(self.start_date.year, self.end_date.year + 1)

    @property
    def transversal_stated(self) -> bool:
        return bool(self.human_rights_considerations.strip() and self.gender_considerations.strip())


class Milestone(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [
            # Overdue milestones (selectors.with_overdue_milestones, the dashboard's count and
            # the activity list's filter) read the undone ones by due date: a few of the
            # hundreds of thousands of milestones.
            models.Index(
                fields=["due_date", "activity"],
                condition=Q(done=False),
                name="milestone_undone_due",
            ),
            # The calendar feed: every milestone from a day on, the earliest first.
            models.Index(fields=["due_date", "id"], name="milestone_due"),
        ]

    def __str__(self) -> str:
        return self.title


class AnnualProgramme(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    work_programme = models.ForeignKey(
        WorkProgramme,
        on_delete=models.PROTECT,
        related_name="annual_programmes",
        verbose_name=_("work programme"),
    )
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    budget_ceiling = models.DecimalField(
        _("budget ceiling (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    adopting_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_programmes",
        verbose_name=_("adopted at"),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    history = GenericRelation(AuditEvent, related_query_name="annual_programme")

    class Meta:
        ordering = ["-year"]
        indexes = [models.Index(fields=["updated_at", "id"], name="annualprogramme_updated")]
        verbose_name = _("annual programme")
        verbose_name_plural = _("annual programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "adopted"]), name="annualprogramme_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(budget_ceiling__gte=0), name="annualprogramme_ceiling_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(adopted_on__isnull=False),
                name="annualprogramme_adopted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Annual programme of activities %(year)s") % {"year": self.year})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class AnnualProgrammeEntry(models.Model):
    annual_programme = models.ForeignKey(
        AnnualProgramme, on_delete=models.CASCADE, related_name="entries"
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="annual_entries")
    budget = models.DecimalField(
        _("budget for the year (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        ordering = ["activity__reference"]
        verbose_name = _("entry of an annual programme")
        verbose_name_plural = _("entries of annual programmes")
        constraints = [
            models.UniqueConstraint(
                fields=["annual_programme", "activity"], name="annualprogrammeentry_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="annualprogrammeentry_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.annual_programme.year}: {self.activity.reference}"


class AnnualProgrammeDocument(ReportJob):
    """A compiled "annual programme of activities" (PDF and DOCX)."""

    annual_programme = models.ForeignKey(
        AnnualProgramme, on_delete=models.CASCADE, related_name="documents"
    )

    class Meta(ReportJob.Meta):
        verbose_name = _("compiled annual programme")
        verbose_name_plural = _("compiled annual programmes")
        constraints = [
            # One compilation at a time per annual programme: asking again returns it.
            models.UniqueConstraint(
                fields=["annual_programme"],
                condition=Q(status__in=["queued", "running"]),
                name="annualprogrammedocument_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.annual_programme.year})"


class ActivityExport(TimeStampedModel):
    """A large export of the activity list (CSV or XLSX) written by a worker, for the
    person who asked: its progress, then the file (``activities/export_jobs.py``).

    Named by an unguessable ``token`` in its URLs: a visitor's export (public rows
    only) is theirs by the link; a signed-in person's is theirs alone."""

    Status = ReportJob.Status

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    fmt = models.CharField(
        max_length=4, choices=[("csv", "CSV"), ("xlsx", "Excel"), ("iati", "IATI XML")]
    )
    language = models.CharField(max_length=10)
    # The list's query string (filters and ordering), read again by the worker.
    query = models.TextField(blank=True)
    filename = models.CharField(max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The rows when asked (the progress's 100 %), and those written so far.
    total = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("activity export")
        verbose_name_plural = _("activity exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="activityexport_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(fmt__in=["csv", "xlsx", "iati"]), name="activityexport_fmt_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def progress(self) -> int:
        """Percent written (100 only once the file is stored)."""
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(99, self.written * 100 // self.total)

    @property
    def is_active(self) -> bool:
        return self.status in ReportJob.ACTIVE
