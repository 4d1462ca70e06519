"""Proposal filters, shared by the list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from pompidou.filters import YearFilter
from pompidou.textsearch import rank_order, search_rows
from programme import roles
from programme.models import PermanentFormat, ThematicPriority
from programme.selectors import member_states_by_name

from .models import Proposal

# Each choice is one rule of selectors.todo, the one the dashboard counts with.
TODO_CHOICES = [
    ("drafts", _("My delegation's drafts")),
    ("awaiting_support", _("Awaiting my delegation's support")),
    ("unassigned", _("Without assessors")),
    ("assessed", _("Assessed, awaiting a decision")),
    ("to_assess", _("Awaiting my assessment")),
    ("awaiting_vote", _("Awaiting my vote")),
]


class ProposalFilter(django_filters.FilterSet):
    scope = django_filters.ChoiceFilter(
        method="filter_scope",
        label=_("Show"),
        empty_label=_("All I can see"),
        choices=[
            ("mine", _("Mine")),
            ("delegation", _("My delegation's")),
            ("submitted", _("All submitted")),
        ],
    )
    todo = django_filters.ChoiceFilter(
        method="filter_todo",
        label=_("Waiting for me"),
        empty_label=_("Anything"),
        choices=TODO_CHOICES,
    )
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices, label=_("Status"))
    route = django_filters.ChoiceFilter(choices=Proposal.Route.choices, label=_("Route"))
    thematic_priority = django_filters.ModelChoiceFilter(
        field_name="thematic_priorities",
        queryset=ThematicPriority.objects.all(),
        label=_("Thematic priority"),
    )
    permanent_format = django_filters.ModelChoiceFilter(
        queryset=PermanentFormat.objects.all(), label=_("Activity format")
    )
    member_state = django_filters.ModelChoiceFilter(
        # Called per request: ordered by the name in the request's language.
        queryset=lambda request: member_states_by_name(),
        to_field_name="code",
        label=_("Proposing delegation"),
    )
    year = YearFilter(label=_("Year"))
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_(
            "Words of the title, scope, purpose or expected outcome (in English or French, "
            "any form), or a reference. Ordered by relevance."
        ),
    )

    class Meta:
        model = Proposal
        fields: list[str] = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        if data is not None and data.get("member_state"):
            data = data.copy()
            data["member_state"] = data["member_state"].upper()
        self.user = user
        super().__init__(data, *args, **kwargs)

    def filter_scope(self, queryset, name, value):
        if value == "mine":
            return queryset.filter(proposer=self.user)
        if value == "delegation":
            return queryset.filter(member_state_id=roles.member_state_id_of(self.user))
        if value == "submitted":
            return queryset.exclude(status__in=[Proposal.Status.DRAFT])
        return queryset

    def filter_todo(self, queryset, name, value):
        from .selectors import todo

        return todo(queryset, self.user, value)

    def filter_search(self, queryset, name, value):
        return search_rows(queryset, value, fields=("title", "reference", "scope"))

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("thematic_priority"):
            qs = qs.distinct()
        return qs.order_by(*rank_order(qs), "-created_at", "-pk")
