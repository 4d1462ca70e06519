from django import forms
from django.utils.translation import gettext_lazy as _

from pompidou.forms import ServiceModelForm
from programme.models import BureauMandate, Meeting, MemberState, ThematicPriority, WorkProgramme

from .models import Activity, AnnualProgramme
from .services import ACTIVITY_TRANSITIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(ServiceModelForm):
    class Meta:
        model = Activity
        fields = [
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
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "terms_of_reference": forms.Textarea(attrs={"rows": 4}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "human_rights_considerations": forms.Textarea(attrs={"rows": 3}),
            "gender_considerations": forms.Textarea(attrs={"rows": 3}),
            "ungass_relevance": forms.Textarea(attrs={"rows": 2}),
            "thematic_priorities": forms.CheckboxSelectMultiple,
            "participating_states": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_programme"].queryset = WorkProgramme.objects.exclude(status="draft")
        self.fields["thematic_priorities"].queryset = ThematicPriority.objects.select_related(
            "work_programme"
        ).exclude(work_programme__status="draft")
        self.fields["thematic_priorities"].required = False  # the service words the rule
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
        self.fields["lead_member_state"].queryset = MemberState.objects.order_by("name")
        self.fields["participating_states"].queryset = MemberState.objects.order_by("name")
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


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ACTIVITY_TRANSITIONS[activity.status]
        self.fields["status"].choices = [
            (s, label) for s, label in Activity.Status.choices if s in allowed
        ]


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due"), widget=DATE)


class AnnualProgrammeCreateForm(forms.Form):
    work_programme = forms.ModelChoiceField(
        queryset=WorkProgramme.objects.exclude(status="closed"), label=_("Work programme")
    )
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    budget_ceiling = forms.DecimalField(
        label=_("Budget ceiling (EUR)"), max_digits=12, decimal_places=2
    )


class CeilingForm(forms.Form):
    budget_ceiling = forms.DecimalField(
        label=_("Budget ceiling (EUR)"), max_digits=12, decimal_places=2
    )


class EntryForm(forms.Form):
    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), label=_("Activity"))
    budget = forms.DecimalField(
        label=_("Budget for the year (EUR)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the activity's planned budget."),
    )

    def __init__(self, *args, annual_programme: AnnualProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (
            Activity.objects.filter(work_programme=annual_programme.work_programme_id)
            .running_in(annual_programme.year)
            .exclude(status=Activity.Status.CANCELLED)
            .exclude(annual_entries__annual_programme=annual_programme)
            .only("id", "reference", "title")
            .order_by("reference")
        )


class AdoptForm(forms.Form):
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.filter(kind=Meeting.Kind.PC_PLENARY).order_by("-date"),
        label=_("Adopted at"),
    )
    adopted_on = forms.DateField(
        label=_("Date of adoption"),
        required=False,
        widget=DATE,
        help_text=_("Empty: the day of the meeting."),
    )
