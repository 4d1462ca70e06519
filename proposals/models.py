"""Proposals for activities (section 2.2 of the work programme): supports from other
delegations, assessments against the adoption criteria, decisions and Bureau votes."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from pompidou.lib.files import GeneratedName, validate_document
from pompidou.models import TimeStampedModel
from programme.models import (
    AdoptionCriterion,
    BureauMandate,
    Meeting,
    MemberState,
    PermanentFormat,
    ThematicPriority,
    WorkProgramme,
)


class Proposal(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
        BUREAU_VOTE = "bureau_vote", _("Bureau vote")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Route(models.TextChoices):
        ANNUAL = "annual", _("Annual programme")
        AD_HOC = "ad_hoc", _("Ad hoc (Permanent Correspondents)")
        URGENT = "urgent", _("Urgent (Bureau)")

    # What the proposing delegation writes, in the order the form shows it: the one
    # list the drafting services, the form and the API's input serializer use.
    EDITABLE_FIELDS = (
        "title",
        "scope",
        "purpose",
        "expected_outcome",
        "thematic_priorities",
        "permanent_format",
        "start_date",
        "end_date",
        "estimated_cost",
        "route",
        "year",
        "urgency_justification",
        "human_rights_statement",
        "gender_statement",
    )

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, editable=False
    )
    work_programme = models.ForeignKey(
        WorkProgramme,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("work programme"),
    )
    member_state = models.ForeignKey(
        MemberState,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("proposing delegation"),
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("proposed by"),
    )
    bureau_mandate = models.ForeignKey(
        BureauMandate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed as Bureau member"),
        help_text=_("Set when a Bureau member proposes in an area they supervise."),
    )
    title = models.CharField(_("title"), max_length=300)
    scope = models.TextField(_("scope"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    expected_outcome = models.TextField(_("expected outcome"), blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    thematic_priorities = models.ManyToManyField(
        ThematicPriority,
        blank=True,
        related_name="proposals",
        verbose_name=_("thematic priorities"),
    )
    permanent_format = models.ForeignKey(
        PermanentFormat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("activity format"),
    )
    estimated_cost = models.DecimalField(
        _("estimated cost (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    route = models.CharField(
        _("requested route"), max_length=10, choices=Route.choices, default=Route.ANNUAL
    )
    year = models.PositiveSmallIntegerField(
        _("year of the annual programme"),
        null=True,
        blank=True,
        help_text=_("For the annual route: the annual programme it should join."),
    )
    urgency_justification = models.TextField(_("why it is urgent"), blank=True)
    human_rights_statement = models.TextField(_("human-rights considerations"), blank=True)
    gender_statement = models.TextField(_("gender considerations"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    support_deadline = models.DateField(
        _("support deadline"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The day by which other delegations may support it (criterion 1)."),
    )
    vote_deadline = models.DateField(
        _("voting deadline"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Urgent route: without a majority by then, the next PC plenary decides."),
    )
    activity = models.OneToOneField(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        # The list's order (newest first, the id breaking ties): a page and its keyset
        # cursor read this index in order.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="proposal_list_order"),
            models.Index(fields=["updated_at", "id"], name="proposal_updated"),
            # The to-do counts of the dashboards and the ranking (a status, a route, a
            # year): the few open proposals without reading the many closed ones.
            models.Index(fields=["status", "route", "year"], name="proposal_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "under_assessment",
                        "bureau_vote",
                        "adopted",
                        "rejected",
                        "deferred",
                        "withdrawn",
                    ]
                ),
                name="proposal_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(route__in=["annual", "ad_hoc", "urgent"]), name="proposal_route_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="proposal_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0),
                name="proposal_cost_not_negative",
            ),
            # An adopted proposal has its activity, and only an adopted one.
            models.CheckConstraint(
                condition=Q(status="adopted", activity__isnull=False)
                | (~Q(status="adopted") & Q(activity__isnull=True)),
                name="proposal_activity_iff_adopted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('draft')} {self.title}"

    @property
    def is_open(self) -> bool:
        """Still to be decided (withdrawable): the workflow's "open" group."""
        from .workflow import group

        return self.status in group("open")


class ProposalAttachment(models.Model):
    """A document of the proposal (terms of reference, budget sheet), PDF or Word,
    checked as an activity's terms of reference are. It follows the proposal into
    the activity: the activity page lists its proposal's attachments."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file (PDF or Word)"),
        upload_to=GeneratedName("proposals/attachments"),
        validators=[validate_document],
    )
    # The uploader's name of the file, shown and used for its download (the stored
    # name is generated).
    original_name = models.CharField(max_length=200, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return self.original_name or (self.file.name or "").rsplit("/", 1)[-1]


class Support(models.Model):
    """Another delegation co-sponsors the proposal (criterion 1)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="supports")
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("E.g. received by letter of 3 May.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "member_state"], name="support_once_per_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_state} supports {self.proposal}"


class Assessment(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    due_date = models.DateField(_("due"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "assessor"], name="assessment_once_per_assessor"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"]), name="assessment_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} on {self.proposal}"

    def is_overdue(self, today) -> bool:
        """A draft past its due date, unless its programme is history (its period ended)."""
        return (
            self.status == self.Status.DRAFT
            and self.due_date is not None
            and self.due_date < today
            and not self.proposal.work_programme.is_history(today)
        )


HALF_POINTS = [Decimal(n) / 2 for n in range(0, 11)]


class CriterionScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        AdoptionCriterion, on_delete=models.PROTECT, related_name="scores"
    )
    score = models.DecimalField(max_digits=2, decimal_places=1)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["criterion__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="score_once_per_criterion"
            ),
            # 0–5 in half points (the EU grant evaluation scale).
            models.CheckConstraint(
                condition=Q(score__in=HALF_POINTS), name="score_half_points_0_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.number}: {self.score}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    class Body(models.TextChoices):
        PERMANENT_CORRESPONDENTS = "pc", _("Permanent Correspondents")
        BUREAU = "bureau", _("Bureau")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    body = models.CharField(
        max_length=10, choices=Body.choices, default=Body.PERMANENT_CORRESPONDENTS
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    decided_on = models.DateField()
    rationale = models.TextField(blank=True)
    over_ceiling_confirmed = models.BooleanField(
        _("adopted above the budget ceiling, confirmed"),
        default=False,
        help_text=_("The adoption took the year's annual programme over its ceiling."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["adopted", "rejected", "deferred"]),
                name="decision_outcome_valid",
            ),
            # One final decision per proposal: the database refuses a second adoption
            # even if two requests pass the status check at the same moment. A
            # proposal may be deferred several times before that.
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(outcome__in=["adopted", "rejected"]),
                name="decision_one_final_per_proposal",
            ),
        ]
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.outcome}"


class BureauVote(models.Model):
    class Vote(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        ABSTAIN = "abstain", _("Abstain")
        # Recorded by the portal for a member of the proposing member state, who does
        # not vote on it (conflict of interest); never counted in the majority.
        RECUSED = "recused", _("Recused")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bureau_votes"
    )
    vote = models.CharField(max_length=10, choices=Vote.choices)
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="vote_once_per_member"),
            models.CheckConstraint(
                condition=Q(vote__in=["approve", "reject", "abstain", "recused"]),
                name="vote_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter}: {self.vote}"


class DeadlineReminder(models.Model):
    """A deadline reminder sent: to whom, about what, when; a person hears of an item
    at most once a week, whatever the number of runs or restarts (the rule of the
    evaluation reminders)."""

    kind = models.CharField(max_length=40)
    item = models.CharField(max_length=50)  # e.g. "proposal:12", "assessment:7"
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "item", "user", "sent_at"], name="deadline_reminder_sent")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item} → {self.user_id}"


class Comment(TimeStampedModel):
    """A comment under a proposal, on one of its two channels: the public discussion
    (whoever may read the proposal) or the assessors' channel (its assessors and the
    Secretariat; never the proposing delegation). Plain text; one level of replies
    (a reply to a reply joins the same thread). An edit keeps the earlier text as a
    :class:`CommentVersion`; a withdrawn comment keeps its place and its versions."""

    class Channel(models.TextChoices):
        PUBLIC = "public", _("Discussion")
        ASSESSORS = "assessors", _("Assessors' channel")

    MAX_LENGTH = 5000

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposal_comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.PUBLIC
    )
    body = models.TextField(_("comment"), max_length=MAX_LENGTH)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["proposal", "channel", "created_at"], name="comment_thread"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["public", "assessors"]), name="comment_channel_valid"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="comment_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.proposal_id}: {self.body[:40]}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class CommentVersion(models.Model):
    """An earlier text of a comment, kept when its author edits or withdraws it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="versions")
    body = models.TextField()
    # When this text was written (the comment's creation or its previous edit), and
    # when it was replaced.
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["written_at", "id"]
        verbose_name = _("earlier text of a comment")
        verbose_name_plural = _("earlier texts of comments")

    def __str__(self) -> str:
        return self.body[:40]
