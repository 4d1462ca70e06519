import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lib.emblem import validate_emblem
from .lib.files import GeneratedName


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Sequence(models.Model):
    """The last number given in a year to one kind of reference (``key``): compiled
    documents (P-PG (YEAR) N), activities (PG-YYYY-NNN), proposals (PR-YYYY-NNNN).
    A number once given is never given again, even when its record is deleted;
    ``pompidou.sequences.next_number`` is the one writer."""

    key = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="sequence_one_per_key_and_year")
        ]
        verbose_name = _("reference counter")

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.last_number}"


class ReportJob(TimeStampedModel):
    """A document compiled by a Celery worker: status, progress, the files, who asked."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    reference = models.CharField(max_length=30, unique=True)
    document_date = models.DateField()
    requested_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The token of the attempt that may run the job: a message carries it, and only
    # the message with the current token starts (or takes over) the job, so a message
    # the broker hands out again after a retry or a restart runs nothing.
    attempt = models.UUIDField(null=True, blank=True)
    # When the job's message was last handed to the broker; empty while it has not
    # been (the job queue was unavailable): the sweep sends it when the queue is back.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # The document in the Council of Europe's two languages, one reference for both:
    # ``pdf`` and ``docx`` in English, ``pdf_fr`` and ``docx_fr`` in French.
    pdf = models.FileField(upload_to="documents/%Y/", blank=True)
    docx = models.FileField(upload_to="documents/%Y/", blank=True)
    pdf_fr = models.FileField(upload_to="documents/%Y/", blank=True)
    docx_fr = models.FileField(upload_to="documents/%Y/", blank=True)

    # The states of a job still under way (the workflow's "active" group, in
    # pompidou/jobs.py, is this set).
    ACTIVE = frozenset({Status.QUEUED, Status.RUNNING})

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def file_stem(self) -> str:
        # "P-PG/PC (2018) 3" → "P-PG-PC-2018-3": no folder in a file's name.
        stem = self.reference.replace(" ", "").replace("/", "-")
        return stem.replace("(", "-").replace(")", "-")

    # The kinds of file and the languages a compilation writes (the first language
    # is the one of ``pdf`` and ``docx``).
    KINDS = ("pdf", "docx")

    @staticmethod
    def languages() -> list[str]:
        return [code for code, _name in settings.LANGUAGES]

    @classmethod
    def file_field_name(cls, kind: str, language: str) -> str:
        """``pdf``/``docx`` for the first language, ``pdf_fr``/``docx_fr`` for French."""
        if kind not in cls.KINDS or language not in cls.languages():
            raise ValueError(f"no {kind!r} file in {language!r}")
        return kind if language == cls.languages()[0] else f"{kind}_{language}"

    def file(self, kind: str, language: str) -> Any:
        """The stored file of ``kind`` in ``language`` (empty when not compiled)."""
        return getattr(self, self.file_field_name(kind, language))

    def download_name(self, kind: str, language: str) -> str:
        return f"{self.file_stem}-{language.upper()}.{kind}"

    def files(self) -> list[dict[str, Any]]:
        """The languages this compilation has files in, for the pages:
        ``[{"language", "name", "pdf", "docx"}]`` (a job compiled before French
        versions existed has English only)."""
        names = dict(settings.LANGUAGES)
        return [
            {
                "language": code,
                "name": names[code],
                "pdf": bool(self.file("pdf", code)),
                "docx": bool(self.file("docx", code)),
            }
            for code in self.languages()
            if self.file("pdf", code) or self.file("docx", code)
        ]


def _now() -> dt.datetime:
    # Looked up at call time, so the demo's replayed clock (pompidou.lib.clock) applies.
    return timezone.now()


class AuditEvent(models.Model):
    """The one history of the portal: who did what to which record, when.

    Written by ``pompidou.workflow.Workflow.move`` for every status change and by
    ``pompidou.audit.record`` for every other change a service makes (and by the
    login and access checks). ``changes`` holds ``{"field": [old, new], …}`` in
    JSON-safe values; ``{% audit_history %}`` renders events for people.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("changed")
        DELETED = "deleted", _("deleted")
        STATUS = "status", _("status changed")
        ATTACHMENT_ADDED = "attachment_added", _("attached a document")
        ATTACHMENT_REMOVED = "attachment_removed", _("removed a document")
        SUPPORT_ADDED = "support_added", _("support recorded")
        SUPPORT_WITHDRAWN = "support_withdrawn", _("support withdrawn")
        ASSESSOR_ASSIGNED = "assessor_assigned", _("assessor assigned")
        ASSESSMENT_SUBMITTED = "assessment_submitted", _("assessment submitted")
        DECISION = "decision", _("decision recorded")
        REFERRED = "referred", _("referred to the plenary")
        VOTE = "vote", _("voted")
        MILESTONE = "milestone", _("milestone")
        ENTRY_ADDED = "entry_added", _("activity added")
        ENTRY_REMOVED = "entry_removed", _("activity removed")
        ENTRY_BUDGET = "entry_budget", _("budget for the year follows the planned budget")
        ADOPTED = "adopted", _("adopted")
        ROLLED_OVER = "rolled_over", _("started from the previous year")
        REVIEWED = "reviewed", _("reviewed")
        ANSWERED = "answered", _("answered")
        JOB = "job", _("document job")
        LOGIN = "login", _("logged in")
        LOGOUT = "logout", _("logged out")
        LOGIN_FAILED = "login_failed", _("login refused")
        LOCKED_OUT = "locked_out", _("locked out after failed logins")
        TWO_FACTOR = "two_factor", _("two-factor authentication set up")
        ACCESS_DENIED = "access_denied", _("access refused")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=_now, db_index=True)
    # The subject: any record (GenericForeignKey), with its name at the time so the
    # event still reads well once the record is gone. None for events about no record
    # (a refused login).
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    subject_label = models.CharField(max_length=200, blank=True)
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    # Where the request came from (pompidou.security.ip.client_ip): for logins,
    # failed logins, lockouts and refused access.
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        verbose_name = _("audit event")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.subject_label}"


class OutboxMessage(models.Model):
    """A message (an e-mail notification) written in the same transaction as the
    change it announces, and handed to the job queue after the commit.

    When the queue is unavailable the row stays unsent and the worker's sweep sends
    it once the queue answers again, so no notification is lost to an outage; the
    worker delivers each row at most once (``delivered_at``). ``pompidou.outbox`` is
    the one writer.
    """

    function = models.CharField(max_length=200)  # "proposals.notifications.send_…"
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=_now, db_index=True)
    # When it was last handed to the queue (empty: not yet), and when delivered.
    published_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outgoing message")

    def __str__(self) -> str:
        state = "delivered" if self.delivered_at else "pending"
        return f"{self.function}{tuple(self.args)} ({state})"


class DocumentSettings(TimeStampedModel):
    """What the Secretariat sets for every compiled document: the emblem on its cover.
    One row (``SINGLETON``), edited in the back office."""

    SINGLETON = 1

    emblem = models.FileField(
        _("emblem"),
        upload_to=GeneratedName("documents/emblem"),
        blank=True,
        validators=[validate_emblem],
        help_text=_(
            "Printed on the cover of the annual programme and the evaluation reports: a PNG, "
            "JPEG or SVG image of at most 1 MB (a bitmap between 32 and 4000 pixels a side). "
            "Empty: the portal's neutral emblem. In the Word files an SVG shows in Word 2016 "
            "and later only; a PNG or JPEG shows everywhere."
        ),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="document_settings_single_row")
        ]
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return str(_("Document settings"))


class Notice(models.Model):
    """A notice to one person (a proposal to support, a decision, a comment…): in
    their inbox in the portal, and by e-mail as their preference for its kind says
    (pompidou/notices.py). The title and body are kept as the source text and its
    values, and read in the reader's language when shown."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=40)
    # A message id of the catalogue (marked with gettext_noop where it is written)
    # and the values it is formatted with: ``gettext(title) % params``.
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=_now, db_index=True)
    # Moves when the notice is read or changed, for the API's sync (pompidou/sync.py).
    updated_at = models.DateTimeField(auto_now=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When it went out by e-mail (at once or in a digest); empty while it has not
    # (inbox only, or the next digest's).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notice_user_unread"),
            models.Index(fields=["user", "-created_at"], name="notice_user_recent"),
            models.Index(fields=["updated_at", "id"], name="notice_updated"),
        ]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return f"{self.user}: {self.title_text}"

    def _text(self, source: str) -> str:
        from django.utils.translation import gettext

        text = gettext(source) if source else ""
        try:
            return text % self._values() if self.params else text
        except (KeyError, TypeError, ValueError):
            return text

    def _values(self) -> dict[str, str]:
        """The params in the reader's language: ``{"msgid": …}`` through the catalogue,
        ``{"date": "2016-03-05"}`` as the language writes a date."""
        import datetime as dt

        from django.utils.formats import date_format
        from django.utils.translation import gettext

        values = {}
        for key, value in self.params.items():
            if isinstance(value, dict) and "msgid" in value:
                value = gettext(value["msgid"])
            elif isinstance(value, dict) and "date" in value:
                value = date_format(dt.date.fromisoformat(value["date"]), "DATE_FORMAT")
            values[key] = value
        return values

    @property
    def title_text(self) -> str:
        return self._text(self.title)

    @property
    def body_text(self) -> str:
        return self._text(self.body)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NoticePreference(models.Model):
    """How one person hears of one kind of notice (no row: e-mail at once)."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("E-mail at once")
        DIGEST = "digest", _("A daily digest by e-mail")
        INBOX = "inbox", _("The inbox only")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="noticepreference_one_per_kind"),
            models.CheckConstraint(
                condition=Q(delivery__in=["immediate", "digest", "inbox"]),
                name="noticepreference_delivery_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {self.delivery}"


class WorkProgrammeDocument(ReportJob):
    """A work programme compiled as the Conference document (PDF and DOCX, English and
    French). Kept here, beside the job it is, because the programme app's migrations
    are its authoring's; it names the programme by its label, importing no app."""

    work_programme = models.ForeignKey(
        "programme.WorkProgramme", on_delete=models.CASCADE, related_name="documents"
    )

    class Meta(ReportJob.Meta):
        verbose_name = _("compiled work programme")
        verbose_name_plural = _("compiled work programmes")
        constraints = [
            # One compilation at a time per work programme: asking again returns it.
            models.UniqueConstraint(
                fields=["work_programme"],
                condition=models.Q(status__in=["queued", "running"]),
                name="workprogrammedocument_one_active",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Tombstone(models.Model):
    """A record that left the API's lists: deleted, or out of some readers' sight (a
    proposal withdrawn, an activity no longer public, a feedback request closed to
    those it asked). The changes feed
    (``pompidou.sync``) reports it to each reader who no longer sees the record, so a
    client that mirrors a list drops it. ``pompidou.tombstones`` is the one writer;
    rows older than ``SYNC_TOMBSTONE_RETENTION_DAYS`` are purged nightly."""

    class Reason(models.TextChoices):
        DELETED = "deleted", _("deleted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        UNPUBLISHED = "unpublished", _("no longer public")
        CLOSED = "closed", _("closed")

    # The record's model as "app_label.model_name", its primary key, and the keys the
    # API names it by (``{"id": 7, "reference": "PG-2016-014"}``): it may be gone.
    model = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    keys = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    at = models.DateTimeField(default=_now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["model", "at", "id"], name="tombstone_model_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=["deleted", "withdrawn", "unpublished", "closed"]),
                name="tombstone_reason_valid",
            )
        ]
        verbose_name = _("tombstone")

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} {self.reason} at {self.at:%Y-%m-%d %H:%M}"
