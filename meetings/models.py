"""The agenda of a meeting (programme.Meeting) and what was decided on each item.

A meeting's status lives on ``programme.Meeting``; its moves are
``meetings.workflow.MEETING_WORKFLOW``.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pompidou.lib.files import GeneratedName, validate_document
from pompidou.models import ReportJob, TimeStampedModel


class AgendaItem(TimeStampedModel):
    """One item of a meeting's agenda, in the order of ``position``."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal for a decision")
        ANNUAL_PROGRAMME = "annual_programme", _("Annual programme to adopt")
        EVALUATION_REPORT = "evaluation_report", _("Evaluation report to take note of")
        FREE = "free", _("Other item")

    class Outcome(models.TextChoices):
        PENDING = "", _("Not decided yet")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")
        NOTED = "noted", _("Taken note of")

    meeting = models.ForeignKey(
        "programme.Meeting",
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("meeting"),
    )
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    annual_programme = models.ForeignKey(
        "activities.AnnualProgramme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    evaluation_report = models.ForeignKey(
        "evaluation.EvaluationReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    decision = models.OneToOneField(
        "proposals.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_item",
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_("The item of an earlier meeting that deferred this one."),
    )

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["proposal", "annual_programme", "evaluation_report", "free"]),
                name="agenda_item_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", "adopted", "rejected", "deferred", "noted"]),
                name="agenda_item_outcome_valid",
            ),
            # Each kind points at its own subject and nothing else.
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="proposal",
                        proposal__isnull=False,
                        annual_programme__isnull=True,
                        evaluation_report__isnull=True,
                    )
                    | Q(
                        kind="annual_programme",
                        proposal__isnull=True,
                        annual_programme__isnull=False,
                        evaluation_report__isnull=True,
                    )
                    | Q(
                        kind="evaluation_report",
                        proposal__isnull=True,
                        annual_programme__isnull=True,
                        evaluation_report__isnull=False,
                    )
                    | Q(
                        kind="free",
                        proposal__isnull=True,
                        annual_programme__isnull=True,
                        evaluation_report__isnull=True,
                    ).__and__(~Q(title=""))
                ),
                name="agenda_item_subject_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["meeting", "proposal"],
                condition=Q(proposal__isnull=False),
                name="agenda_item_proposal_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.label}"

    @property
    def label(self) -> str:
        """What the agenda says of the item (the proposal's reference and title, …)."""
        if self.title:
            return self.title
        proposal, ap, report = self.proposal, self.annual_programme, self.evaluation_report
        if self.kind == self.Kind.PROPOSAL and proposal is not None:
            return f"{proposal.reference} {proposal.title}"
        if self.kind == self.Kind.ANNUAL_PROGRAMME and ap is not None:
            return str(_("Annual programme %(year)s") % {"year": ap.year})
        if self.kind == self.Kind.EVALUATION_REPORT and report is not None:
            return str(
                _("Evaluation report %(first)s–%(last)s")
                % {"first": report.first_year, "last": report.last_year}
            )
        return ""

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)


class DecisionList(ReportJob):
    """A meeting's list of decisions, compiled (PDF and DOCX, both languages)."""

    meeting = models.ForeignKey(
        "programme.Meeting", on_delete=models.CASCADE, related_name="decision_lists"
    )

    class Meta(ReportJob.Meta):
        verbose_name = _("list of decisions")
        verbose_name_plural = _("lists of decisions")
        constraints = [
            # One compilation at a time per meeting: asking again returns it.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status__in=["queued", "running"]),
                name="decisionlist_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.meeting})"


class Attendance(TimeStampedModel):
    """Who attends a meeting for a delegation, as its Permanent Correspondent says."""

    meeting = models.ForeignKey(
        "programme.Meeting", on_delete=models.CASCADE, related_name="attendances"
    )
    member_state = models.ForeignKey(
        "programme.MemberState", on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.TextField(_("who attends"), help_text=_("One name per line."))
    registered_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["member_state__code"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member_state"], name="attendance_once_per_delegation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.member_state_id}"

    @property
    def names(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class MeetingDocument(models.Model):
    """A document of the meeting (convocation, annotated agenda, working paper), PDF
    or Word, served through the permission check only."""

    meeting = models.ForeignKey(
        "programme.Meeting", on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(
        _("file (PDF or Word)"),
        upload_to=GeneratedName("meetings/documents"),
        validators=[validate_document],
    )
    # The uploader's name of the file, used for its download (the stored name is generated).
    original_name = models.CharField(max_length=200, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    uploaded_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return self.original_name or (self.file.name or "").rsplit("/", 1)[-1]
