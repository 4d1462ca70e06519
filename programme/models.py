# django-modeltranslation gives the translated models a manager class made at run
# time, which the Django plugin cannot name (typeddjango/django-stubs#1023): it types
# them as an unknown manager of the model, which is what they are. Said here, not as a
# per-module override in pyproject.toml, where mypy does not know the plugin's error
# code yet when it reads the options (KeyError: 'django-manager-missing').
# mypy: disable-error-code="django-manager-missing"
"""The group and its programme: member states, roles, the Bureau, meetings and
the multi-year work programme with its aims, priorities, formats and criteria."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pompidou.lib.l10n import ordinal
from pompidou.models import TimeStampedModel


class MemberState(models.Model):
    class Status(models.TextChoices):
        MEMBER = "member", _("Member state")
        PARTNER = "partner", _("Partner (MedNET)")
        OBSERVER = "observer", _("Observer")

    code = models.CharField(
        _("ISO code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2, e.g. FR.")
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MEMBER
    )
    joined_year = models.PositiveSmallIntegerField(_("joined"), null=True, blank=True)
    left_year = models.PositiveSmallIntegerField(_("left"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    # Moves on every change, for the API's sync (pompidou/sync.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["updated_at", "id"], name="memberstate_updated")]
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["member", "partner", "observer"]),
                name="memberstate_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="memberstate_code_iso2"
            ),
            models.CheckConstraint(
                condition=Q(left_year__isnull=True)
                | Q(joined_year__isnull=True)
                | Q(left_year__gte=F("joined_year")),
                name="memberstate_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What the portal knows of a user beyond Django's account: their delegation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    member_state = models.ForeignKey(
        MemberState,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("member state"),
        help_text=_("Empty for Secretariat staff and experts."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.member_state or '—'})"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PC_PLENARY = "pc_plenary", _("Permanent Correspondents' plenary")
        BUREAU = "bureau", _("Bureau meeting")
        MINISTERIAL = "ministerial", _("Ministerial Conference")

    class Status(models.TextChoices):
        # The moves between them are meetings.workflow.MEETING_WORKFLOW.
        # In French a meeting's status agrees with « réunion » (feminine).
        PLANNED = "planned", pgettext_lazy("a meeting's status", "Planned")
        CONVENED = "convened", pgettext_lazy("a meeting's status", "Convened")
        HELD = "held", pgettext_lazy("a meeting's status", "Held")
        CLOSED = "closed", pgettext_lazy("a meeting's status", "Closed")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PLANNED,
        editable=False,
    )
    number = models.PositiveIntegerField(_("number"))
    date = models.DateField(_("date"))
    end_date = models.DateField(_("last day"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, default="Strasbourg")

    # Moves on every change, for the API's sync (pompidou/sync.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        indexes = [models.Index(fields=["updated_at", "id"], name="meeting_updated")]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="meeting_unique_number"),
            models.CheckConstraint(
                condition=Q(kind__in=["pc_plenary", "bureau", "ministerial"]),
                name="meeting_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="meeting_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "convened", "held", "closed"]),
                name="meeting_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.place}, {date_format(self.date, 'SHORT_DATE_FORMAT')}"

    @property
    def title(self) -> str:
        """The meeting's name, "77th Permanent Correspondents' plenary" or "77e réunion
        plénière des Correspondants permanents": each kind's title is one sentence to translate,
        its word order the translator's. The French nouns (« réunion », « Conférence »)
        are all feminine: « 1re »."""
        titles = {
            self.Kind.PC_PLENARY: _("%(ordinal)s Permanent Correspondents' plenary"),
            self.Kind.BUREAU: _("%(ordinal)s Bureau meeting"),
            self.Kind.MINISTERIAL: _("%(ordinal)s Ministerial Conference"),
        }
        return str(titles[self.Kind(self.kind)]) % {"ordinal": ordinal(self.number, feminine=True)}


class WorkProgrammeQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status=WorkProgramme.Status.IN_FORCE)


class WorkProgramme(TimeStampedModel):
    class Status(models.TextChoices):
        # The cycle of section 1: the Secretariat drafts the next programme with the
        # Bureau, the correspondents comment on it, the Ministerial Conference adopts
        # it, it is put in force (closing the previous one) and closed at its end.
        DRAFT = "draft", pgettext_lazy("a work programme's status", "Draft")
        CONSULTATION = "consultation", pgettext_lazy("a work programme's status", "In consultation")
        ADOPTED = "adopted", pgettext_lazy("a work programme's status", "Adopted")
        IN_FORCE = "in_force", pgettext_lazy("a work programme's status", "In force")
        CLOSED = "closed", pgettext_lazy("a work programme's status", "Closed")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    conference_theme = models.CharField(
        _("theme of the Ministerial Conference"), max_length=300, blank=True
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # The adopting Ministerial Conference: "16th Ministerial Conference", its
    # number, place and dates (adopted_on is the day of adoption, its last day).
    adopted_by = models.CharField(_("adopted by"), max_length=200, blank=True)
    conference_number = models.PositiveSmallIntegerField(
        _("number of the Ministerial Conference"), null=True, blank=True
    )
    adopted_place = models.CharField(_("adopted at"), max_length=100, blank=True)
    conference_start = models.DateField(_("first day of the Conference"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopting_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopting meeting"),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    aims_introduction = models.TextField(_("introduction to the aims"), blank=True)
    aims_closing = models.TextField(_("after the aims"), blank=True)
    structure = models.TextField(_("structure"), blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    # Scoring thresholds of section 2.2, after the EU grant convention (3/5 per
    # criterion, 10/15 overall): a proposal is recommended when every scored
    # criterion's mean reaches min_criterion_mean and the weighted total reaches
    # min_total_numerator/min_total_denominator of the maximum. Kept as a
    # fraction so that exactly two thirds compares exactly.
    min_criterion_mean = models.DecimalField(
        _("minimum mean per criterion"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("3.0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    min_total_numerator = models.PositiveSmallIntegerField(
        _("total threshold (numerator)"), default=2
    )
    min_total_denominator = models.PositiveSmallIntegerField(
        _("total threshold (denominator)"), default=3
    )

    objects = WorkProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-first_year"]
        indexes = [models.Index(fields=["updated_at", "id"], name="workprogramme_updated")]
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="workprogramme_years_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "consultation", "adopted", "in_force", "closed"]),
                name="workprogramme_status_valid",
            ),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="in_force"), name="workprogramme_one_in_force"
            ),
            models.CheckConstraint(
                condition=Q(conference_start__isnull=True)
                | Q(adopted_on__isnull=True)
                | Q(adopted_on__gte=F("conference_start")),
                name="workprogramme_conference_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(min_total_denominator__gt=0)
                & Q(min_total_numerator__lte=F("min_total_denominator")),
                name="workprogramme_total_threshold_fraction",
            ),
            models.CheckConstraint(
                condition=Q(min_criterion_mean__gte=0) & Q(min_criterion_mean__lte=5),
                name="workprogramme_criterion_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"

    def is_history(self, today: date) -> bool:
        """Closed, or its period ended: nothing of it is "overdue" any more (the rule of
        ``ActivityQuerySet.not_history``, for one programme)."""
        return self.status == self.Status.CLOSED or self.last_year < today.year

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class OrderedText(models.Model):
    """A numbered line of the document (an aim, an objective, an expected result)."""

    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("text"))

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text[:80]


class ProgrammeAim(OrderedText):
    work_programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="aims")
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=100)

    class Meta(OrderedText.Meta):
        verbose_name = _("programme aim")
        verbose_name_plural = _("programme aims")
        constraints = [
            models.UniqueConstraint(
                fields=["work_programme", "position"], name="programmeaim_unique_position"
            ),
        ]


class ThematicPriority(models.Model):
    work_programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="priorities"
    )
    number = models.CharField(_("number"), max_length=10)
    title = models.CharField(_("title"), max_length=300)
    rationale = models.TextField(_("rationale"), blank=True)
    transversal = models.BooleanField(
        _("transversal"),
        default=False,
        help_text=_("To be taken into account in all activities (3.1, human rights)."),
    )

    # Moves on every change, for the API's sync (pompidou/sync.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["work_programme", "number"]
        indexes = [models.Index(fields=["updated_at", "id"], name="priority_updated")]
        verbose_name = _("thematic priority")
        verbose_name_plural = _("thematic priorities")
        constraints = [
            models.UniqueConstraint(
                fields=["work_programme", "number"], name="thematicpriority_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class PriorityAim(OrderedText):
    priority = models.ForeignKey(ThematicPriority, on_delete=models.CASCADE, related_name="aims")

    class Meta(OrderedText.Meta):
        verbose_name = _("aim of a priority")
        verbose_name_plural = _("aims of a priority")
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "position"], name="priorityaim_unique_position"
            ),
        ]


class PermanentFormat(models.Model):
    class Kind(models.TextChoices):
        PERMANENT = "permanent", _("Permanent activity format")
        TIME_LIMITED = "time_limited", _("Time-limited project")

    work_programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="formats"
    )
    number = models.CharField(_("number"), max_length=10)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERMANENT)
    first_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    beneficiaries = models.TextField(_("profile of beneficiaries"), blank=True)
    expected_results_intro = models.TextField(_("expected results (introduction)"), blank=True)

    # Moves on every change, for the API's sync (pompidou/sync.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["work_programme", "number"]
        indexes = [models.Index(fields=["updated_at", "id"], name="format_updated")]
        verbose_name = _("activity format")
        verbose_name_plural = _("activity formats")
        constraints = [
            models.UniqueConstraint(
                fields=["work_programme", "number"], name="permanentformat_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["permanent", "time_limited"]),
                name="permanentformat_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True)
                | Q(first_year__isnull=True)
                | Q(last_year__gte=F("first_year")),
                name="permanentformat_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_permanent(self) -> bool:
        return self.kind == self.Kind.PERMANENT


class FormatAim(OrderedText):
    format = models.ForeignKey(PermanentFormat, on_delete=models.CASCADE, related_name="aims")

    class Meta(OrderedText.Meta):
        verbose_name = _("aim of a format")
        verbose_name_plural = _("aims of a format")
        constraints = [
            models.UniqueConstraint(
                fields=["format", "position"], name="formataim_unique_position"
            ),
        ]


class FormatObjective(OrderedText):
    format = models.ForeignKey(PermanentFormat, on_delete=models.CASCADE, related_name="objectives")

    class Meta(OrderedText.Meta):
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["format", "position"], name="formatobjective_unique_position"
            ),
        ]


class FormatExpectedResult(OrderedText):
    format = models.ForeignKey(
        PermanentFormat, on_delete=models.CASCADE, related_name="expected_results"
    )

    class Meta(OrderedText.Meta):
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        constraints = [
            models.UniqueConstraint(
                fields=["format", "position"], name="formatresult_unique_position"
            ),
        ]


class AdoptionCriterion(models.Model):
    work_programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    guidance = models.TextField(_("guidance for assessors"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=Decimal("1"))
    computed = models.BooleanField(
        _("computed from supports"),
        default=False,
        help_text=_("Met when another delegation supports the proposal; not scored by hand."),
    )

    # Moves on every change, for the API's sync (pompidou/sync.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["work_programme", "number"]
        indexes = [models.Index(fields=["updated_at", "id"], name="criterion_updated")]
        verbose_name = _("adoption criterion")
        verbose_name_plural = _("adoption criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["work_programme", "number"], name="criterion_unique_number"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class BureauMandateQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        """Mandates running on a day (today by default): the Bureau of that day."""
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class BureauMandate(models.Model):
    class Office(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-Chair")
        FIELD_COORDINATOR = "field_coordinator", _("Field co-ordinator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bureau_mandates",
        verbose_name=_("user"),
    )
    office = models.CharField(_("office"), max_length=20, choices=Office.choices)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    supervised_priorities = models.ManyToManyField(
        ThematicPriority,
        blank=True,
        related_name="supervisors",
        verbose_name=_("supervised thematic priorities"),
    )
    supervised_formats = models.ManyToManyField(
        PermanentFormat,
        blank=True,
        related_name="supervisors",
        verbose_name=_("supervised activity formats"),
    )

    objects = BureauMandateQuerySet.as_manager()

    class Meta:
        ordering = ["office", "start_date"]
        verbose_name = _("Bureau mandate")
        verbose_name_plural = _("Bureau mandates")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="bureaumandate_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(office__in=["chair", "vice_chair", "field_coordinator"]),
                name="bureaumandate_office_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_office_display()}: {self.user}"


from .authoring_models import ProgrammeComment, ProgrammeVersion  # noqa: E402,F401
