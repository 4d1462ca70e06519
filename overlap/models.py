"""The proposer's verdict on a similar item, and the document frequencies of the words.

``Term`` holds, per lexeme of the stored ``search_document`` columns (the search app's,
with their GIN indexes), in how many activities and proposals it occurs: the inverse
document frequency that makes "drug" weigh little and "ayahuasca" much. A Celery job
rebuilds it (``overlap.tasks.refresh_term_statistics``, hourly by beat); a lexeme it
does not know yet counts as rare."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.models import Activity
from proposals.models import Proposal


class Mark(models.Model):
    """A proposer's reading of one similar item: their proposal builds on it, or it is
    not related. One per proposal and item; changed by marking again."""

    class Verdict(models.TextChoices):
        BUILDS_ON = "builds_on", pgettext_lazy("overlap verdict", "builds on")
        NOT_RELATED = "not_related", pgettext_lazy("overlap verdict", "not related")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="overlap_marks")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    other_proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked"), auto_now=True)

    class Meta:
        verbose_name = _("overlap mark")
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False, other_proposal__isnull=True)
                | Q(activity__isnull=True, other_proposal__isnull=False),
                name="overlap_mark_one_target",
            ),
            models.UniqueConstraint(
                fields=["proposal", "activity"],
                condition=Q(activity__isnull=False),
                name="overlap_mark_unique_activity",
            ),
            models.UniqueConstraint(
                fields=["proposal", "other_proposal"],
                condition=Q(other_proposal__isnull=False),
                name="overlap_mark_unique_proposal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.verdict} {self.activity_id or self.other_proposal_id}"


class Term(models.Model):
    """A lexeme and the number of stored documents (activities and proposals) holding it."""

    lexeme = models.CharField(max_length=200, primary_key=True)
    documents = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.lexeme} ({self.documents})"


class Corpus(models.Model):
    """The one row saying how many documents ``Term`` counted, and when."""

    documents = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.documents} documents"


class Similarity(models.Model):
    """One of a proposal's stored most similar items (an activity or an open proposal),
    computed over everything by ``services.refresh_similar`` and read by the ranking in
    one query, filtered at read time by what the reader may see."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="similarities")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    other_proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(_("similarity"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("stored similarity")
        verbose_name_plural = _("stored similarities")
        ordering = ["proposal", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False, other_proposal__isnull=True)
                | Q(activity__isnull=True, other_proposal__isnull=False),
                name="overlap_similarity_one_target",
            ),
            models.UniqueConstraint(fields=["proposal", "rank"], name="overlap_similarity_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} #{self.rank} {self.activity_id or self.other_proposal_id}"

    @property
    def target(self) -> Any:
        return self.activity or self.other_proposal

    @property
    def kind(self) -> str:
        return "activity" if self.activity_id else "proposal"

    @property
    def reference(self) -> str:
        return self.target.reference or str(self.target.pk)

    @property
    def url(self) -> str:
        if self.activity_id:
            return reverse("activities:detail", args=[self.activity.reference])  # type: ignore[union-attr]
        return reverse("proposals:detail", args=[self.other_proposal_id])

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def verdict_display(self) -> str:
        verdict = getattr(self, "verdict", None)
        return str(Mark.Verdict(verdict).label) if verdict else ""
