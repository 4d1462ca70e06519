"""The back office lists every import (read-only) and leads to the import page."""

from django.contrib import admin
from django.http import HttpRequest

from .models import RecordImport


@admin.register(RecordImport)
class RecordImportAdmin(admin.ModelAdmin):
    change_list_template = "records/admin/change_list.html"
    list_display = ("created_at", "kind", "file_name", "status", "counts", "user")
    list_filter = ("kind", "status")
    search_fields = ("file_name",)
    readonly_fields = ("kind", "file_name", "status", "counts", "user", "created_at")
    exclude = ("file", "rows")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
