from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.http import HttpRequest

from .models import AuditEvent


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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The whole history, to search (read-only)."""

    list_display = ("at", "actor", "kind", "subject_label", "from_state", "to_state")
    list_filter = ("kind", "content_type")
    search_fields = ("subject_label", "comment", "actor__username", "actor__last_name")
    date_hierarchy = "at"
    list_select_related = ("actor", "content_type")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
