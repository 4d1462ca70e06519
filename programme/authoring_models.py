"""What authoring a work programme keeps: its versions (a snapshot of the whole
programme in both languages at each saved change) and the comments of the
consultation, section by section. Imported by ``programme.models``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProgrammeVersion(models.Model):
    """The programme as it stood after one saved change: ``snapshot`` is
    ``programme.versions.snapshot`` (every text in every language, numbers, weights,
    thresholds); ``changed`` the keys of the sections that change changed."""

    work_programme = models.ForeignKey(
        "programme.WorkProgramme",
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("work programme"),
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    changed = models.JSONField(_("sections changed"), default=list, blank=True)
    copied_from = models.CharField(_("copied from"), max_length=40, blank=True)
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        ordering = ["work_programme", "-number"]
        verbose_name = _("version of a work programme")
        verbose_name_plural = _("versions of a work programme")
        constraints = [
            models.UniqueConstraint(
                fields=["work_programme", "number"], name="programmeversion_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_programme_id} v{self.number}"


class ProgrammeComment(models.Model):
    """A comment of the consultation on one section of a draft programme
    (``section`` is a key of ``programme.versions.sections``: "introduction",
    "priority:3.2", "criteria" …)."""

    work_programme = models.ForeignKey(
        "programme.WorkProgramme",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("work programme"),
    )
    section = models.CharField(_("section"), max_length=40)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["work_programme", "section", "created_at"]
        verbose_name = _("comment on a work programme")
        verbose_name_plural = _("comments on a work programme")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="programmecomment_text_given"),
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:60]}"
