"""Forms of the evaluation pages: input and widgets only; the services check, word the
rules and save (a percentage of 101 or a second report for a period is refused there)."""

from email.utils import parseaddr

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pompidou.forms import DayMonthYearInput, Form
from programme import roles

from . import periods
from .models import EvaluationReport, FeedbackRequest, Indicator, ProgressReport

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


def _rating(label, help_text=""):
    # A choice of 1–5; anything else is answered with the service's own words.
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Rate from 1 to 5."),
            "required": _("Rate from 1 to 5."),
        },
    )


def activity_periods(activity) -> list[str]:
    """The half-years the activity runs in, oldest first."""
    result = []
    for year in activity.years:
        for period in periods.of_year(year):
            start, end = periods.bounds(period)
            if end >= activity.start_date and start <= activity.end_date:
                result.append(period)
    return result


# --- progress reports ----------------------------------------------------------------


class _ReportFields(Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProgressReport.Status.choices)
    # No min/max here: the service's rule and message (0–100) answer a bad value.
    percent_complete = forms.IntegerField(
        label=_("Percent complete"),
        help_text=_("A whole number from 0 to 100."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    narrative = forms.CharField(
        label=_("Narrative"),
        help_text=_("How the activity went in the half-year, in a few sentences."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    achievements = forms.CharField(
        label=_("Achievements against the expected results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    budget_spent = forms.DecimalField(
        label=_("Budget spent to date (EUR)"),
        max_digits=12,
        decimal_places=2,
        initial=0,
    )


class ProgressReportForm(_ReportFields):
    """File the report of a half-year. Every half-year the activity runs in is offered,
    those already filed marked so, so a second report is refused in the service's words."""

    period = forms.ChoiceField(
        label=_("Period"), help_text=_("The half-year reported on, e.g. 2016-H1.")
    )
    field_order = ["period", "status", "percent_complete", "narrative", "achievements"]

    def __init__(self, *args, activity, filed=(), **kwargs):
        super().__init__(*args, **kwargs)
        filed = set(filed)
        choices = []
        for period in activity_periods(activity):
            label = period if period not in filed else _("%(period)s (filed)") % {"period": period}
            choices.append((period, label))
        self.fields["period"].choices = choices
        today = timezone.localdate()
        open_ = [p for p, _label in choices if p not in filed]
        started = [p for p in open_ if periods.bounds(p)[0] <= today]
        if open_ and not self.is_bound:
            self.initial.setdefault("period", (started or open_)[0])
        self.open_periods = open_


class ProgressReportEditForm(_ReportFields):
    pass


if tuple(_ReportFields.base_fields) != ProgressReport.EDITABLE_FIELDS:
    raise ImproperlyConfigured("The report form must hold ProgressReport.EDITABLE_FIELDS.")


class ReviewForm(Form):
    comment = forms.CharField(
        label=_("Review"),
        help_text=_("Your assessment of the report as the supervising Bureau member."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# --- indicators ----------------------------------------------------------------------


class IndicatorForm(Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(
        label=_("Unit"), max_length=50, required=False, help_text=_("e.g. people, reports")
    )
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=14, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Indicator.Direction.choices,
        initial=Indicator.Direction.HIGHER,
    )


class MeasurementForm(Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    date = forms.DateField(label=_("Date"), widget=DayMonthYearInput())
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["indicator"]
        field.queryset = Indicator.objects.filter(pk__in=[i.pk for i in indicators])
        # The activity's indicators are in memory already: no query to list them.
        field.choices = [("", "---------")] + [(i.pk, i.name) for i in indicators]


# --- feedback ------------------------------------------------------------------------


def _person(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class FeedbackRequestForm(Form):
    audience = forms.ChoiceField(label=_("Audience"), choices=FeedbackRequest.Audience.choices)
    questions = forms.CharField(label=_("Questions"), widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label=_("Deadline"), widget=DayMonthYearInput())
    recipients = forms.ModelMultipleChoiceField(
        label=_("Named people"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("For the audience “Named people”: people with an account."),
        # Searchable, with a remove button per person (static/js/searchable-select.js).
        widget=forms.SelectMultiple(
            attrs={
                "data-searchable-select": "",
                "data-placeholder": _("Type a name"),
                "data-no-results": _("Nobody of that name."),
            }
        ),
    )
    invitees = forms.CharField(
        label=_("Invitees without an account"),
        required=False,
        help_text=_(
            "One per line, as Name &lt;e-mail&gt;, e.g. Ana Costa &lt;ana.costa@example.org&gt;. "
            "Each gets a link by e-mail that works once."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=[roles.EXPERT, roles.CORRESPONDENT])
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        field = self.fields["recipients"]
        field.queryset = users
        field.label_from_instance = _person

    def clean_invitees(self) -> list[tuple[str, str]]:
        invitees, bad = [], []
        for number, line in enumerate(self.cleaned_data["invitees"].splitlines(), start=1):
            if not line.strip():
                continue
            name, email = parseaddr(line)
            try:
                validate_email(email)
            except ValidationError:
                email = ""
            if not name.strip() or not email:
                bad.append(number)
            else:
                invitees.append((name.strip(), email))
        if bad:
            raise ValidationError(
                _("Line %(lines)s: write each invitee as Name <e-mail>.")
                % {"lines": ", ".join(map(str, bad))}
            )
        return invitees


class FeedbackAnswerForm(Form):
    relevance = _rating(_("Relevance"), _("1 = not relevant, 5 = highly relevant"))
    quality = _rating(_("Quality"), _("1 = poor, 5 = excellent"))
    usefulness = _rating(_("Usefulness"), _("1 = not useful, 5 = very useful"))
    impact = _rating(_("Likely impact"), _("1 = none, 5 = strong"))
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    RATINGS = ("relevance", "quality", "usefulness", "impact")

    def rating_fields(self):
        return [self[name] for name in self.RATINGS]


# --- impact --------------------------------------------------------------------------


class ImpactAssessmentForm(Form):
    date = forms.DateField(label=_("Date"), widget=DayMonthYearInput())
    method = forms.CharField(
        label=_("Method"),
        max_length=200,
        help_text=_("e.g. survey of participants six months after the activity"),
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        help_text=_("1 = no visible impact, 5 = strong impact"),
        choices=[("", "---------"), *RATING_CHOICES],
        coerce=int,
        error_messages={"invalid_choice": _("Rate from 1 to 5.")},
    )
    evidence = forms.FileField(
        label=_("Evidence (PDF or Word)"), required=False, help_text=_("Up to 10 MB.")
    )


# --- overview ------------------------------------------------------------------------


class OverviewForm(Form):
    """The year and scope of the overview (a GET form). Priorities and formats come in
    as lists the view has read once; the chosen one is looked up there, not queried."""

    SCOPES = [
        ("all", _("Whole programme")),
        ("priority", _("A thematic priority")),
        ("format", _("An activity format")),
    ]

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    scope = forms.ChoiceField(label=_("Scope"), choices=SCOPES, initial="all", required=False)
    priority = forms.TypedChoiceField(
        label=_("Thematic priority"), coerce=int, empty_value=None, required=False
    )
    permanent_format = forms.TypedChoiceField(
        label=_("Activity format"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, years, priorities, formats, **kwargs):
        super().__init__(*args, **kwargs)
        self.priorities = {p.pk: p for p in priorities}
        self.formats = {f.pk: f for f in formats}
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["priority"].choices = [("", _("— choose —"))] + [
            (p.pk, f"{p.number} {p.title}") for p in priorities
        ]
        self.fields["permanent_format"].choices = [("", _("— choose —"))] + [
            (f.pk, f"{f.number} {f.short_name or f.name}") for f in formats
        ]

    def clean(self):
        data = super().clean()
        scope = data.get("scope") or "all"
        priority = self.priorities.get(data.get("priority"))
        fmt = self.formats.get(data.get("permanent_format"))
        # A priority or a format chosen without its scope still narrows the view.
        if scope == "all":
            scope = "priority" if priority else "format" if fmt else "all"
        if scope == "priority" and priority is None:
            self.add_error("priority", _("Choose the thematic priority."))
        if scope == "format" and fmt is None:
            self.add_error("permanent_format", _("Choose the activity format."))
        data["scope"] = scope
        data["priority"] = priority if scope == "priority" else None
        data["permanent_format"] = fmt if scope == "format" else None
        return data


class CompileReportForm(Form):
    """The Secretariat's request for a compiled evaluation report: the period (start and
    end year, by default the year being viewed) and the scope. The service checks the
    rules again (years of the work programme, a priority for a priority scope)."""

    first_year = forms.TypedChoiceField(label=_("From (year)"), coerce=int)
    last_year = forms.TypedChoiceField(label=_("To (year)"), coerce=int)
    scope = forms.ChoiceField(label=_("Scope"), choices=EvaluationReport.Scope.choices)
    priority = forms.ChoiceField(label=_("Thematic priority"), required=False)
    format = forms.ChoiceField(label=_("Activity format"), required=False)

    def __init__(self, *args, years, priorities, formats, year=None, **kwargs):
        kwargs.setdefault("auto_id", "compile_%s")
        super().__init__(*args, **kwargs)
        years = list(years)
        if years:
            outside = _("Choose a year of the work programme (%(first)s–%(last)s).") % {
                "first": years[0],
                "last": years[-1],
            }
            for name in ("first_year", "last_year"):
                self.fields[name].error_messages["invalid_choice"] = outside
            default = year if year in years else years[-1]
            self.initial.setdefault("first_year", default)
            self.initial.setdefault("last_year", default)
        for name in ("first_year", "last_year"):
            self.fields[name].choices = [(y, str(y)) for y in years]
        self.priorities = {str(p.pk): p for p in priorities}
        self.formats = {str(f.pk): f for f in formats}
        self.fields["priority"].choices = [("", _("— none —"))] + [
            (p.pk, f"{p.number} {p.title}") for p in priorities
        ]
        self.fields["format"].choices = [("", _("— none —"))] + [
            (f.pk, f"{f.number} {f.short_name or f.name}") for f in formats
        ]

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", _("The end year is before the start year."))
        scope = data.get("scope")
        data["priority"] = self.priorities.get(data.get("priority") or "")
        data["format"] = self.formats.get(data.get("format") or "")
        if scope == EvaluationReport.Scope.PRIORITY and data["priority"] is None:
            self.add_error("priority", _("Choose the thematic priority."))
        if scope == EvaluationReport.Scope.FORMAT and data["format"] is None:
            self.add_error("format", _("Choose the activity format."))
        return data
