"""The back office lists every import (read-only) and leads to the import page.
Who sees it is the app's one rule (``can_import_records``), not a model permission."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import permissions
from .models import RecordImport


@admin.register(RecordImport)
class RecordImportAdmin(admin.ModelAdmin):
    change_list_template = "records/admin/change_list.html"
    list_display = ("created_at", "kind", "file_name", "status", "counts", "user")
    list_filter = ("kind", "status")
    search_fields = ("file_name",)
    readonly_fields = ("kind", "file_name", "status", "counts", "user", "created_at")
    exclude = ("file", "rows")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(permissions.can_import_records(request.user))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(permissions.can_import_records(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
