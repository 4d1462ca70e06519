"""Proposal filters, shared by the list page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programme import roles
from programme.models import MemberState, PermanentFormat, ThematicPriority

from .models import Proposal


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
        queryset=MemberState.objects.all(), to_field_name="code", label=_("Proposing delegation")
    )
    year = django_filters.NumberFilter(label=_("Year"))
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))

    class Meta:
        model = Proposal
        fields = []

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

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(reference__icontains=value) | Q(scope__icontains=value)
        )

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("thematic_priority"):
            qs = qs.distinct()
        return qs.order_by("-created_at", "-pk")
