from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .lib.emblem import current_emblem
from .models import AuditEvent, DocumentSettings


class ReadOnlyAdminMixin:
    """A back-office page that shows records and changes none of them: what it shows
    is written by the services, with their checks and their history (decisions,
    Bureau votes, supports, assessments), or by the portal itself (the audit log)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryInline(GenericTabularInline):
    """A record's events in the one history, read-only: the services write it."""

    model = AuditEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "at",
        "actor",
        "kind",
        "from_state",
        "to_state",
        "changes",
        "comment",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AccessEventFilter(admin.SimpleListFilter):
    """Logins, logouts, failed logins, lockouts and refused access apart from the
    changes to records."""

    title = _("kind of event")
    parameter_name = "category"
    ACCESS = (
        AuditEvent.Kind.LOGIN,
        AuditEvent.Kind.LOGOUT,
        AuditEvent.Kind.LOGIN_FAILED,
        AuditEvent.Kind.LOCKED_OUT,
        AuditEvent.Kind.TWO_FACTOR,
        AuditEvent.Kind.ACCESS_DENIED,
    )

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [("access", _("logins and access")), ("changes", _("changes to records"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> Any:
        if self.value() == "access":
            return queryset.filter(kind__in=self.ACCESS)
        if self.value() == "changes":
            return queryset.exclude(kind__in=self.ACCESS)
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The whole history, to search and filter (read-only)."""

    list_display = ("at", "actor", "kind", "subject_label", "ip", "from_state", "to_state")
    list_filter = (AccessEventFilter, "kind", "content_type")
    search_fields = (
        "subject_label",
        "comment",
        "actor__username",
        "actor__last_name",
        "=ip",
    )
    date_hierarchy = "at"
    list_select_related = ("actor", "content_type")


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    """One page: the emblem on the documents' covers, shown as it will print."""

    fields = ("emblem", "emblem_preview")
    readonly_fields = ("emblem_preview",)

    @admin.display(description=_("emblem printed today"))
    def emblem_preview(self, obj: DocumentSettings | None) -> str:
        # Shown from its bytes: uploaded files have no public address.
        return format_html(
            '<img src="{}" alt="{}" height="96">',  # an attribute: the CSP forbids inline styles
            current_emblem().data_uri,
            _("The emblem printed on the covers"),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not DocumentSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: DocumentSettings, form: Any, change: bool
    ) -> None:
        obj.pk = DocumentSettings.SINGLETON  # the one row (a constraint keeps it so)
        super().save_model(request, obj, form, change)
