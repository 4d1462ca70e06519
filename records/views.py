"""The Secretariat's import pages: the templates to download, the upload and its dry
run row by row, and "Import now" (all rows or none)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.errors import NON_FIELD, DomainError
from pompidou.forms import call_service
from pompidou.rules import gate

from . import permissions, services
from .forms import ImportForm
from .kinds import KINDS, REFUSED
from .models import RecordImport
from .workbook import LANGUAGES, template_name, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_start(request):
    gate(permissions.can_import_records(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        record = call_service(
            form,
            services.import_check,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            actor=request.user,
        )
        if record is not None:
            return redirect("records:result", token=record.token)
    kinds = [(name, kind.label) for name, kind in KINDS.items()]
    recent = RecordImport.objects.select_related("user")[:20]
    status = 400 if form.errors else 200
    return render(
        request,
        "records/import_start.html",
        {"form": form, "kinds": kinds, "recent": recent, "nav": "records"},
        status=status,
    )


def import_template(request, kind: str, language: str):
    gate(permissions.can_import_records(request.user))
    if kind not in KINDS or language not in LANGUAGES:
        raise Http404
    importer = KINDS[kind]()
    response = HttpResponse(template_workbook(importer, language), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{template_name(importer, language)}"'
    return response


def _problems(record: RecordImport) -> list[dict]:
    """One line per refused cell: the row, its key, the column as the file's header
    names it (in the page's language) and the reason."""
    kind = KINDS.get(record.kind)
    language = get_language() or "en"
    headers = {c.key: c.header(language) for c in kind.columns} if kind else {}
    headers[NON_FIELD] = _("(the whole row)")
    return [
        {"row": row["row"], "key": row["key"], "column": headers.get(field, field), "message": m}
        for row in record.rows
        if row["action"] == REFUSED
        for field, messages in row["errors"].items()
        for m in messages
    ]


def _render_result(request, record: RecordImport, error: str = "", status: int = 200):
    return render(
        request,
        "records/import_result.html",
        {
            "record": record,
            "kind_label": KINDS[record.kind].label if record.kind in KINDS else record.kind,
            "problems": _problems(record),
            "others": [row for row in record.rows if row["action"] != REFUSED],
            "not_listed": sum(record.counts.values()) - len(record.rows),
            "error": error,
            "nav": "records",
        },
        status=status,
    )


def import_result(request, token):
    gate(permissions.can_import_records(request.user))
    record = get_object_or_404(RecordImport.objects.select_related("user"), token=token)
    return _render_result(request, record)


@require_POST
def import_confirm(request, token):
    gate(permissions.can_import_records(request.user))
    record = get_object_or_404(RecordImport, token=token)
    try:
        services.import_confirm(record=record, actor=request.user)
    except DomainError as exc:
        record.refresh_from_db()
        return _render_result(request, record, error=exc.message, status=400)
    return redirect("records:result", token=token)
