"""Everything the portal holds about one person, from one registry.

``REGISTRY`` lists, per app, each model that points at a user (or names a person by
e-mail) and what erasing an account does to its rows: keep them (the row stays in the
record and shows the account's pseudonym) or delete them (what only served the person:
tokens, devices, their inbox). ``collect(user)`` reads the same registry for the
download (JSON and the readable page), and ``tests/accounts/test_personal_data.py``
fails when a model gains a user field the registry does not cover.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone

from pompidou.audit import jsonable
from programme.roles import roles_of

KEEP = "keep"  # the row stays; it shows the account's pseudonym once erased
DELETE = "delete"  # the row only served the person: deleted on erasure

# Never exported: secrets, whatever model they are in.
SECRET_FIELDS = frozenset({"key", "password", "bin_key", "throttling_failure_count"})


def _audit_match(user: Any) -> Q:
    """Events by the person, and events whose subject is their account."""
    account_type = ContentType.objects.get_for_model(get_user_model())
    return Q(actor=user) | Q(content_type=account_type, object_id=user.pk)


def _invitation_match(user: Any) -> Q | None:
    """Feedback links sent to the person's address (answered without logging in)."""
    return Q(email__iexact=user.email) if user.email else None


@dataclass(frozen=True)
class Part:
    """One model's rows about a person."""

    model: str  # "app_label.ModelName"
    user_fields: tuple[str, ...] = ()  # its fields pointing at the user
    erase: str = KEEP
    match: Callable[[Any], Q | None] | None = None  # rows found another way
    # Related rows exported inside each row: ``{"versions": "body,written_at"}``.
    children: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def rows(self, user: Any) -> QuerySet[Any]:
        query = Q()
        for name in self.user_fields:
            query |= Q(**{name: user})
        if self.match is not None:
            extra = self.match(user)
            if extra is None and not self.user_fields:
                return self.model_class._default_manager.none()
            if extra is not None:
                query |= extra
        return self.model_class._default_manager.filter(query).distinct().order_by("pk")


# Each app's contribution, in the order of the download.
REGISTRY: tuple[Part, ...] = (
    # programme: the delegation and the Bureau
    Part("programme.Profile", ("user",)),
    Part("programme.BureauMandate", ("user",)),
    Part("programme.ProgrammeComment", ("author",)),
    Part("programme.ProgrammeVersion", ("author",)),
    # overlap and records
    Part("overlap.Mark", ("marked_by",)),
    Part("records.RecordImport", ("user",)),
    # activities
    Part("activities.Activity", ("supervisor",)),
    Part("activities.AnnualProgrammeDocument", ("requested_by",)),
    # A list exported for the person: theirs only, gone with the account.
    Part("activities.ActivityExport", ("requested_by",), erase=DELETE),
    # proposals
    Part("proposals.Proposal", ("proposer",)),
    Part("proposals.ProposalAttachment", ("uploaded_by",)),
    Part("proposals.Support", ("supporter",)),
    Part(
        "proposals.Assessment",
        ("assessor", "assigned_by"),
        children=(("scores", ("criterion", "score", "comment")),),
    ),
    Part("proposals.Decision", ("recorded_by",)),
    Part("proposals.BureauVote", ("voter",)),
    Part("proposals.Comment", ("author", "mentions"), children=(("versions", ("body",)),)),
    Part("proposals.DeadlineReminder", ("user",), erase=DELETE),
    # evaluation
    Part("evaluation.ProgressReport", ("submitted_by", "reviewed_by", "accepted_by")),
    Part("evaluation.FeedbackRequest", ("created_by", "recipients")),
    Part("evaluation.FeedbackInvitation", match=_invitation_match),
    Part("evaluation.FeedbackResponse", ("respondent",)),
    Part("evaluation.ImpactAssessment", ("recorded_by",)),
    Part("evaluation.EvaluationReport", ("requested_by",)),
    # meetings
    Part("meetings.DecisionList", ("requested_by",)),
    Part("meetings.Attendance", ("registered_by",)),
    Part("meetings.MeetingDocument", ("uploaded_by",)),
    # the project: history, inbox
    Part("pompidou.AuditEvent", ("actor",), match=_audit_match),
    Part("pompidou.Notice", ("user",), erase=DELETE),
    Part("pompidou.NoticePreference", ("user",), erase=DELETE),
    Part("pompidou.WorkProgrammeDocument", ("requested_by",)),
    # Django and the libraries: back office, API token, two-factor device
    Part("admin.LogEntry", ("user",)),
    Part("authtoken.Token", ("user",), erase=DELETE),
    Part("otp_totp.TOTPDevice", ("user",), erase=DELETE),
)

# User fields deliberately outside the registry, with the reason.
NOT_COVERED: dict[tuple[str, str], str] = {
    ("authtoken.TokenProxy", "user"): "the same table as authtoken.Token",
}


def registered_user_fields() -> set[tuple[str, str]]:
    return {(part.model, name) for part in REGISTRY for name in part.user_fields} | set(NOT_COVERED)


def user_fields_in_models() -> set[tuple[str, str]]:
    """Every (model, field) of the installed apps that points at the user model."""
    user_model = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is user_model:
                found.add((model._meta.label, field.name))
    return found


def _with_relations(rows: QuerySet[Any], part: Part) -> QuerySet[Any]:
    """``rows`` reading what each row shows with it: its foreign keys joined, its
    many-to-many fields and its children (with their own foreign keys) in one query
    each, whatever the number of rows."""

    def relations(model: type[Model], names: Iterable[str] | None = None) -> tuple[list, list]:
        joined, many = [], []
        for field in model._meta.get_fields():
            if not field.concrete or (names is not None and field.name not in names):
                continue
            if field.many_to_one or field.one_to_one:
                joined.append(field.name)
            elif field.many_to_many:
                many.append(field.name)
        return joined, many

    joined, many = relations(rows.model)
    # What the related rows print of themselves (their ``__str__``) may name their
    # own foreign keys: joined too.
    joined += [
        f"{name}__{further}"
        for name in list(joined)
        for further in relations(rows.model._meta.get_field(name).related_model)[0]
    ]
    prefetches: list[Any] = list(many)
    for relation, names in part.children:
        child = rows.model._meta.get_field(relation).related_model
        child_joined, _child_many = relations(child, names)
        prefetches.append(
            Prefetch(relation, queryset=child._default_manager.select_related(*child_joined))
        )
    return rows.select_related(*joined).prefetch_related(*prefetches)


def _value(obj: Model, field: Any) -> Any:
    if field.is_relation and field.many_to_many:
        return [str(v) for v in getattr(obj, field.name).all()]
    return jsonable(getattr(obj, field.name))


def _row(obj: Model, part: Part) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for field in obj._meta.get_fields():
        if not field.concrete or field.name in SECRET_FIELDS or field.auto_created:
            continue
        row[field.name] = _value(obj, field)
    for relation, names in part.children:
        row[relation] = [
            {name: jsonable(getattr(child, name)) for name in names}
            for child in getattr(obj, relation).all()
        ]
    return row


def account_data(user: Any) -> dict[str, Any]:
    roles = roles_of(user)
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "date_joined": jsonable(user.date_joined),
        "last_login": jsonable(user.last_login),
        "roles": sorted(roles.groups) + (["bureau"] if roles.is_bureau else []),
        "member_state": roles.member_state_code,
    }


def collect(user: Any) -> dict[str, Any]:
    """Everything about ``user``: their account, then one section per registered
    model with every row about them (secrets left out). The JSON download and the
    readable page are both this."""
    sections = []
    for part in REGISTRY:
        model = part.model_class
        rows = [_row(obj, part) for obj in _with_relations(part.rows(user), part)]
        sections.append(
            {
                "model": part.model,
                "title": str(model._meta.verbose_name_plural),
                "rows": rows,
            }
        )
    return {
        "generated_at": jsonable(timezone.now()),
        "account": account_data(user),
        "sections": sections,
    }
