from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from pompidou.forms import DayMonthYearInput, Form, ServiceModelForm
from programme.models import BureauMandate, Meeting, ThematicPriority, WorkProgramme
from programme.selectors import member_states_by_name

from .models import Activity, AnnualProgramme
from .workflow import status_choices


def _priority_order(p: ThematicPriority) -> tuple:
    return (p.work_programme.first_year, [int(n) for n in p.number.split(".") if n.isdigit()])


class ActivityForm(ServiceModelForm):
    class Meta:
        model = Activity
        fields = Activity.EDITABLE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "terms_of_reference": forms.Textarea(attrs={"rows": 4}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "human_rights_considerations": forms.Textarea(attrs={"rows": 3}),
            "gender_considerations": forms.Textarea(attrs={"rows": 3}),
            "ungass_relevance": forms.Textarea(attrs={"rows": 2}),
            "start_date": DayMonthYearInput(),
            "end_date": DayMonthYearInput(),
            "thematic_priorities": forms.CheckboxSelectMultiple,
            # Searchable, with a remove button per state (static/js/searchable-select.js).
            "participating_states": forms.SelectMultiple(
                attrs={
                    "data-searchable-select": "",
                    "data-placeholder": _("Type a state's name"),
                    "data-no-results": _("No state of that name."),
                }
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_programme"].queryset = WorkProgramme.objects.exclude(status="draft")
        self.fields["thematic_priorities"].queryset = ThematicPriority.objects.select_related(
            "work_programme"
        ).exclude(work_programme__status="draft")
        self.fields["thematic_priorities"].required = False  # the service words the rule
        # By number (3.1 … 3.4), as the work programme lists them; the programme's
        # years only where several programmes are open.
        priorities = sorted(self.fields["thematic_priorities"].queryset, key=_priority_order)
        several = len({p.work_programme_id for p in priorities}) > 1
        self.fields["thematic_priorities"].choices = [
            (
                p.pk,
                f"{p} ({p.work_programme.first_year}–{p.work_programme.last_year})"
                if several
                else str(p),
            )
            for p in priorities
        ]
        self.fields["permanent_format"].queryset = (
            self.fields["permanent_format"]
            .queryset.select_related("work_programme")
            .exclude(work_programme__status="draft")
        )
        bureau = BureauMandate.objects.values("user")
        self.fields["supervisor"].queryset = (
            self.fields["supervisor"].queryset.filter(pk__in=bureau).order_by("last_name")
        )
        self.fields["supervisor"].label_from_instance = lambda u: u.get_full_name() or u.username
        for name in ("lead_member_state", "participating_states"):
            self.fields[name].queryset = member_states_by_name()
        if not self.initial.get("work_programme") and not self.instance.pk:
            wp = WorkProgramme.objects.in_force().first()
            if wp:
                self.initial["work_programme"] = wp.pk

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["thematic_priorities"] = list(data.get("thematic_priorities") or [])
        data["participating_states"] = list(data.get("participating_states") or [])
        if not data.get("terms_of_reference_file"):
            data.pop("terms_of_reference_file", None)
            if self.instance.pk and self.cleaned_data.get("terms_of_reference_file") is False:
                data["terms_of_reference_file"] = ""  # "clear" ticked
        return data


class StatusForm(Form):
    status = forms.ChoiceField(label=_("New status"))
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, activity: Activity, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The moves the workflow offers this user now (activities/workflow.py).
        cast(forms.ChoiceField, self.fields["status"]).choices = status_choices(user, activity)


class MilestoneForm(Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due"), widget=DayMonthYearInput())


class AnnualProgrammeCreateForm(Form):
    work_programme: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=WorkProgramme.objects.exclude(status="closed"), label=_("Work programme")
    )
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    budget_ceiling = forms.DecimalField(
        label=_("Budget ceiling (EUR)"), max_digits=12, decimal_places=2
    )


class CeilingForm(Form):
    budget_ceiling = forms.DecimalField(
        label=_("Budget ceiling (EUR)"), max_digits=12, decimal_places=2
    )


class ActivityChoiceField(forms.ModelChoiceField):
    """An activity of the field's queryset by its reference (typed) or its id (chosen
    in a select)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not value.strip().isdigit():
            try:
                return self.queryset.get(reference=value.strip().upper())
            except (Activity.DoesNotExist, ValueError):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                ) from None
        return super().to_python(value)


# Beyond this many candidates the activity is typed by its reference: a select of
# thousands of options would weigh on every view of a draft year's page.
ENTRY_SELECT_MAX = 200


class EntryForm(Form):
    activity = ActivityChoiceField(queryset=Activity.objects.none(), label=_("Activity"))
    budget = forms.DecimalField(
        label=_("Budget for the year (EUR)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the activity's planned budget."),
    )

    def __init__(self, *args, annual_programme: AnnualProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(ActivityChoiceField, self.fields["activity"])
        field.queryset = (
            Activity.objects.filter(work_programme=annual_programme.work_programme_id)
            .running_in(annual_programme.year)
            .exclude(status=Activity.Status.CANCELLED)
            .exclude(annual_entries__annual_programme=annual_programme)
            .only("id", "reference", "title")
            .order_by("reference")
        )
        candidates = field.queryset.order_by()[: ENTRY_SELECT_MAX + 1]
        if not self.is_bound and candidates.count() > ENTRY_SELECT_MAX:
            field.widget = forms.TextInput(attrs={"autocomplete": "off"})
            field.help_text = _(
                "Its reference (e.g. PG-2016-014): an activity of the work programme running "
                "in the year and not in the programme yet."
            )


class AdoptForm(Form):
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.filter(kind=Meeting.Kind.PC_PLENARY).order_by("-date"),
        label=_("Adopted at"),
    )
    adopted_on = forms.DateField(
        label=_("Date of adoption"),
        required=False,
        widget=DayMonthYearInput(),
        help_text=_("Empty: the day of the meeting."),
    )


class EntryFilterForm(Form):
    """The annual programme page's filter (a GET form): a thematic priority and an
    activity format, by the keys of the page's groups ("~": the time-limited activities)."""

    priority = forms.ChoiceField(label=_("Thematic priority"), required=False)
    format = forms.ChoiceField(label=_("Activity format"), required=False)

    def __init__(self, data, *, priorities: list, formats: list):
        super().__init__(data, auto_id="entries_%s")
        every = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["priority"]).choices = every + [
            (g.key, g.title) for g in priorities
        ]
        cast(forms.ChoiceField, self.fields["format"]).choices = every + [
            (g.key, _("Time-limited activities") if g.key == "~" else g.title) for g in formats
        ]
