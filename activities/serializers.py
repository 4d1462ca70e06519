"""What the API reads and writes for activities and annual programmes.

Output serializers describe a record as clients read it; input serializers only
check types (every rule is the service's). The fields a client may write are the
model's one list, ``Activity.EDITABLE_FIELDS``, shared with the form and the service.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pompidou.api import SlugRelatedField
from pompidou.downloads import download_url
from pompidou.listing import cached_representations
from pompidou.renderers import RenderedRow, render_row
from pompidou.serializers import InputSerializer, RefusesFieldsInputSerializer
from programme.models import Meeting, MemberState

from . import selectors
from .models import Activity, AnnualProgramme, AnnualProgrammeEntry, Milestone
from .selectors import ApiRelations, api_relations

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# --- activities: output ---------------------------------------------------------


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done"]


class _ActivityListSerializer(serializers.ListSerializer):
    """Many activities (a page of the list): their related rows read at once, and
    each row's representation kept until the next write (``listing.cached_representations``)."""

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, models.Manager) else data)
        request = self.context.get("request")
        links = request.build_absolute_uri("/") if request is not None else ""
        if self.context.get("rendered_rows"):  # a list's page: its rows' JSON
            return cached_representations("activity-json", rows, links, self._render)
        return cached_representations("activity", rows, links, self._represent)

    def _render(self, rows: list[Activity]) -> list[RenderedRow]:
        return [render_row(data) for data in self._represent(rows)]

    def _represent(self, rows: list[Activity]) -> list[dict[str, Any]]:
        # A page read by its keys only (named tuples, pompidou.keyset.keys_only).
        if any(not isinstance(a, Activity) or a.get_deferred_fields() for a in rows):
            whole = selectors.activities_for_api(
                Activity.objects.filter(pk__in=[a.pk for a in rows])
            )
            by_pk = whole.in_bulk()
            rows = [by_pk.get(a.pk, a) for a in rows]
        related = api_relations([a.pk for a in rows])
        child = cast(ActivitySerializer, self.child)
        return [child.represent(a, related) for a in rows]


class ActivitySerializer(serializers.ModelSerializer):
    """An activity as clients read it; member states by ISO code, the rest by id.

    The declared fields describe the record (the OpenAPI schema, the field order);
    ``represent`` writes them from the row and ``selectors.api_relations`` (3 queries
    for a whole page) with each field's own ``to_representation``, without DRF's walk
    of every field's source and a queryset per row and relation."""

    lead_member_state: serializers.SlugRelatedField[MemberState] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    participating_states: serializers.SlugRelatedField[MemberState] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    supervisor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    milestones = MilestoneSerializer(many=True, read_only=True)
    # The protected download's address (never a /media/ one), null without a file.
    terms_of_reference_file = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "reference", *Activity.EDITABLE_FIELDS, "status", "milestones"]
        read_only_fields = fields
        list_serializer_class = _ActivityListSerializer

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_terms_of_reference_file(self, activity: Activity) -> str | None:
        if not activity.terms_of_reference_file:
            return None
        return download_url(self.context, "activity-terms-of-reference", activity.reference)

    def to_representation(self, instance: Activity) -> dict[str, Any]:
        return self.represent(instance, api_relations([instance.pk]))

    def represent(self, activity: Activity, related: ApiRelations) -> dict[str, Any]:
        return {name: write(activity, related) for name, write in self._writers}

    @cached_property
    def _writers(self) -> list[tuple[str, Callable[[Activity, ApiRelations], Any]]]:
        return [(name, self._writer(name, field)) for name, field in self.fields.items()]

    def _writer(self, name: str, field: serializers.Field) -> Callable[[Activity, Any], Any]:
        """How field ``name`` is written from an activity and its related rows."""
        if name == "milestones":
            child = cast(serializers.Serializer, cast(serializers.ListSerializer, field).child)
            title, due_date, done = (child.fields[n] for n in ("title", "due_date", "done"))
            return lambda a, r: [
                {
                    "title": title.to_representation(t),
                    "due_date": due_date.to_representation(d),
                    "done": done.to_representation(x),
                }
                for t, d, x in r.milestones.get(a.pk, ())
            ]
        if isinstance(field, serializers.ManyRelatedField):
            # Codes or ids, as api_relations reads them.
            return lambda a, r: list(getattr(r, name).get(a.pk, ()))
        if isinstance(field, serializers.SlugRelatedField):
            slug = field.slug_field
            return lambda a, r: getattr(getattr(a, name), slug, None)
        if isinstance(field, serializers.PrimaryKeyRelatedField):
            attname = cast(models.Field, Activity._meta.get_field(name)).attname
            return lambda a, r: getattr(a, attname)
        if isinstance(field, serializers.SerializerMethodField):
            return lambda a, r: field.to_representation(a)
        represent = field.to_representation
        return lambda a, r: _or_none(represent, getattr(a, name))


def _or_none(represent: Callable[[Any], Any], value: Any) -> Any:
    return None if value is None else represent(value)


# --- activities: input ----------------------------------------------------------

# Related records a client names by a code rather than an id (ISO code, username).
SLUGS: dict[type[models.Model], str] = {MemberState: "code", get_user_model(): "username"}


def input_field(model: type[models.Model], name: str) -> serializers.Field:
    """The serializer field that reads ``model.name`` from a request body: typed, never
    required (a PATCH sends any subset), blank text allowed (the service judges it)."""
    f = model._meta.get_field(name)
    if f.many_to_many or f.many_to_one:
        related = f.related_model
        if related is None:  # a GenericForeignKey: no model to query
            raise TypeError(f"No input field for {model.__name__}.{name} ({type(f).__name__}).")
        kwargs: dict[str, Any] = {"queryset": related._default_manager.all(), "required": False}
        if f.many_to_many:
            kwargs["many"] = True
        else:
            kwargs["allow_null"] = f.null
        if related in SLUGS:
            return SlugRelatedField(slug_field=SLUGS[related], **kwargs)
        return serializers.PrimaryKeyRelatedField(**kwargs)
    if not isinstance(f, models.Field):  # a reverse relation: not the model's to write
        raise TypeError(f"No input field for {model.__name__}.{name} ({type(f).__name__}).")
    if f.choices:
        return serializers.ChoiceField(choices=f.choices, required=False)
    if isinstance(f, models.FileField):
        return serializers.FileField(required=False, allow_null=True)
    if isinstance(f, models.DecimalField):
        return serializers.DecimalField(
            max_digits=f.max_digits, decimal_places=f.decimal_places, required=False
        )
    if isinstance(f, models.BooleanField):
        return serializers.BooleanField(required=False)
    if isinstance(f, models.DateField):
        return serializers.DateField(required=False)
    if isinstance(f, models.CharField | models.TextField):
        return serializers.CharField(required=False, allow_blank=True, max_length=f.max_length)
    raise TypeError(f"No input field for {model.__name__}.{name} ({type(f).__name__}).")


class MilestoneInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    done = serializers.BooleanField(required=False, default=False)


ActivityInputSerializer = type(
    "ActivityInputSerializer",
    (RefusesFieldsInputSerializer,),
    {
        "__module__": __name__,
        "__doc__": "The fields of an activity a client may write (PATCH: any subset of them).\n\n"
        "Only types are checked here; every rule (dates, priorities of the same work\n"
        "programme, amounts, the supervisor's mandate) is the service's.",
        **{name: input_field(Activity, name) for name in Activity.EDITABLE_FIELDS},
        "not_writable": {
            "status": _("The status changes through POST /api/v1/activities/{reference}/status/."),
            "milestones": _("Milestones cannot be changed through this request."),
        },
    },
)


class ActivityCreateInputSerializer(ActivityInputSerializer):  # type: ignore[misc, valid-type]
    """A new activity, with its first milestones if any."""

    milestones = MilestoneInputSerializer(many=True, required=False)

    not_writable = {"status": _("A new activity is planned; change its status afterwards.")}


# Its own enum in the schema: two components sharing Activity.Status would leave
# drf-spectacular to name it by a hash ("Status8c4Enum") with a warning.
@extend_schema_field({"type": "string", "enum": Activity.Status.values})
class _StatusChoiceField(serializers.ChoiceField):
    pass


class ActivityStatusInputSerializer(InputSerializer):
    status = _StatusChoiceField(choices=Activity.Status.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


# --- annual programmes ----------------------------------------------------------


class AnnualProgrammeEntrySerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="activity.reference", read_only=True)
    title = serializers.CharField(source="activity.title", read_only=True)

    class Meta:
        model = AnnualProgrammeEntry
        fields = ["reference", "title", "budget"]
        read_only_fields = fields


class _TotalField(serializers.DecimalField):
    """The sum of the entries' budgets: 0, not null, for a programme without entries."""

    def get_attribute(self, instance):
        return super().get_attribute(instance) or Decimal("0")


class AnnualProgrammeSerializer(serializers.ModelSerializer):
    adopting_meeting: serializers.StringRelatedField[Meeting] = serializers.StringRelatedField(
        allow_null=True
    )
    total_budget = _TotalField(max_digits=14, decimal_places=2, read_only=True)
    entry_count = serializers.IntegerField(read_only=True)
    over_ceiling = serializers.SerializerMethodField()
    entries = AnnualProgrammeEntrySerializer(many=True, read_only=True)

    class Meta:
        model = AnnualProgramme
        fields = [
            "year",
            "work_programme",
            "status",
            "budget_ceiling",
            "adopting_meeting",
            "adopted_on",
            "total_budget",
            "entry_count",
            "over_ceiling",
            "entries",
        ]
        read_only_fields = fields

    def get_over_ceiling(self, ap: AnnualProgramme) -> bool:
        # The annotation of selectors.annual_programmes_with_totals, unknown to the model.
        total = getattr(ap, "total_budget", None) or Decimal("0")
        return total > ap.budget_ceiling
