"""The activity filters, shared by the list page, the export and the API."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from pompidou.filters import YearFilter
from pompidou.textsearch import rank_order, search_rows
from programme.models import MemberState, PermanentFormat, ThematicPriority, WorkProgramme
from programme.selectors import member_states_by_name

from .models import Activity


def _priority_choices() -> list[tuple[str, str]]:
    """Each priority number once, titled as in the latest programme that has it."""
    choices: dict[str, str] = {}
    for p in ThematicPriority.objects.order_by("-work_programme__first_year").only(
        "number", "title"
    ):
        choices.setdefault(p.number, str(p))
    return sorted(choices.items(), key=lambda c: [int(n) for n in c[0].split(".") if n.isdigit()])


# A consideration is stated when its text holds more than blanks (as
# ``Activity.transversal_stated`` reads it): the coverage figures of the evaluation
# (evaluation/coverage.py) and the ``considerations`` filter count with these.
HUMAN_RIGHTS_STATED = Q(human_rights_considerations__regex=r"\S")
GENDER_STATED = Q(gender_considerations__regex=r"\S")
CONSIDERATIONS = {
    "stated": HUMAN_RIGHTS_STATED & GENDER_STATED,
    "missing": ~(HUMAN_RIGHTS_STATED & GENDER_STATED),
    "human_rights_missing": ~HUMAN_RIGHTS_STATED,
    "gender_missing": ~GENDER_STATED,
}


class AnyYesNoWidget(django_filters.widgets.BooleanWidget):
    """true/false in the query string, as the API takes it; "Any" (not django-filter's
    "Unknown") when the filter is not set."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("Any")), ("true", _("Yes")), ("false", _("No")))

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        raw = data.get(name)
        if value is None and raw not in (None, ""):
            return raw  # neither yes nor no: the field refuses it, naming the filter
        return value


class _YesNoField(forms.NullBooleanField):
    """Yes, no or not set; anything else ("null", "maybe") is an error, not "any"."""

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, bool):
            return None if value == "" else value
        raise forms.ValidationError(_("Use true or false."), code="invalid")


class YesNoFilter(django_filters.BooleanFilter):
    field_class = _YesNoField


class _PriorityField(django_filters.fields.ChoiceField):
    def valid_value(self, value) -> bool:
        # The natural key (3.3) is the contract; a bare database id, as links made
        # before the change carry, is still understood.
        return super().valid_value(value) or str(value).isdigit()


class PriorityFilter(django_filters.ChoiceFilter):
    field_class = _PriorityField


# The lists' order when none is asked (the model's, served by its index).
LIST_ORDER = ("-start_date", "reference")


class ActivityFilter(django_filters.FilterSet):
    year = YearFilter(
        method="filter_year", label=_("Year"), help_text=_("Activities running in that year.")
    )
    work_programme = django_filters.ModelChoiceFilter(
        queryset=WorkProgramme.objects.all(), label=_("Work programme")
    )
    thematic_priority = PriorityFilter(
        choices=_priority_choices,
        method="filter_thematic_priority",
        label=_("Thematic priority"),
        help_text=_("By its number, e.g. 3.3."),
    )
    permanent_format = django_filters.ModelChoiceFilter(
        queryset=PermanentFormat.objects.all(), label=_("Activity format")
    )
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices, label=_("Status"))
    adoption_route = django_filters.ChoiceFilter(
        choices=Activity.Route.choices, label=_("Adopted by")
    )
    member_state = django_filters.ModelChoiceFilter(
        # Called per request: ordered by the name in the request's language.
        queryset=lambda request: member_states_by_name(),
        to_field_name="code",
        method="filter_member_state",
        label=_("Member state"),
        help_text=_("Leading or taking part."),
    )
    search = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Title, description or reference.")
    )
    milestones_overdue = YesNoFilter(
        method="filter_milestones_overdue",
        label=_("With overdue milestones"),
        widget=AnyYesNoWidget(),
    )
    considerations = django_filters.ChoiceFilter(
        choices=[
            ("stated", _("Both stated")),
            ("missing", _("Either missing")),
            ("human_rights_missing", _("Human-rights considerations missing")),
            ("gender_missing", _("Gender considerations missing")),
        ],
        method="filter_considerations",
        label=_("Human rights and gender"),
        help_text=_("Whether the activity states its human-rights and gender considerations."),
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("reference", "reference"),
            ("title", "title"),
            ("start_date", "start_date"),
            ("end_date", "end_date"),
            ("status", "status"),
            ("planned_budget", "planned_budget"),
            ("spent", "spent"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_year(self, queryset, name, value):
        return queryset.running_in(int(value))

    def filter_thematic_priority(self, queryset, name, value: str):
        # A semi-join, not a join: each activity once without a DISTINCT over every
        # column of the page's rows (which sorted the whole filtered set).
        links = Activity.thematic_priorities.through.objects.filter(activity=OuterRef("pk"))
        if value.isdigit():
            links = links.filter(thematicpriority__pk=int(value))
        else:
            links = links.filter(thematicpriority__number=value)
        return queryset.filter(Exists(links))

    def filter_member_state(self, queryset, name, value: MemberState):
        # Subquery rather than a join, so no row is listed twice.
        involved = Activity.objects.filter(
            Q(lead_member_state=value) | Q(participating_states=value)
        ).values("pk")
        return queryset.filter(pk__in=involved)

    def filter_milestones_overdue(self, queryset, name, value):
        from .selectors import with_overdue_milestones

        late = with_overdue_milestones().values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def filter_considerations(self, queryset, name, value: str):
        return queryset.filter(CONSIDERATIONS[value])

    def filter_search(self, queryset, name, value):
        return search_rows(queryset, value, fields=("title", "description", "reference"))

    def __init__(self, data=None, *args, **kwargs):
        # ISO codes in either case: ?member_state=fr is France.
        if data is not None and data.get("member_state"):
            data = data.copy()
            data["member_state"] = data["member_state"].upper()
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        return self.ordered(qs, self.form.cleaned_data.get("ordering"))

    @classmethod
    def ordered(cls, qs, ordering):
        if ordering:
            # A tie-breaker, so pages of equal titles or statuses never repeat a row.
            return qs.order_by(*ordering, "reference")
        # The most relevant first when searching (unless too many rows match to
        # rank them, textsearch.rank_order); then the list order (its index).
        return qs.order_by(*rank_order(qs), *LIST_ORDER)

    @classmethod
    def unfiltered(cls, queryset):
        """What the filters do when the request names none (the API's backend,
        ``pompidou.filters.FilterBackend``): the list's order only."""
        return cls.ordered(queryset, None)
