"""One import of a spreadsheet: the uploaded file, kept between the dry run and the
import (its token is the page's address), and what each run found."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pompidou.lib.files import GeneratedName
from pompidou.models import TimeStampedModel


class RecordImport(TimeStampedModel):
    class Status(models.TextChoices):
        CHECKED = "checked", _("Dry run")
        REFUSED = "refused", _("Refused")
        IMPORTED = "imported", _("Imported")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30)
    file_name = models.CharField(_("file"), max_length=200)
    # Kept until imported; the command reads the file where it is and stores none.
    file = models.FileField(upload_to=GeneratedName("imports"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # {"created": n, "updated": n, "unchanged": n, "refused": n}
    counts = models.JSONField(_("counts"), default=dict)
    # [{"row": 3, "key": "PG-2016-001", "action": "refused", "errors": {"field": [msgs]}}]
    rows = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["checked", "refused", "imported"]),
                name="recordimport_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"
