"""The Secretariat's pages for authoring a work programme: the list of programmes,
drafting the next one, its edit page (texts, aims, priorities, formats, criteria,
thresholds, each list in order with its buttons) and the moves into consultation
and back to draft. Every write goes through ``programme.authoring*``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.forms import call_service, call_with_message
from pompidou.rules import gate

from . import authoring, authoring_entries, permissions, selectors
from .authoring_comments import section_anchor
from .authoring_forms import EntryForm, NewProgrammeForm, TextsForm, ThresholdsForm
from .models import WorkProgramme
from .versions import LANGUAGES, PROGRAMME_TEXTS
from .workflow import PROGRAMME_WORKFLOW, next_steps

ENTRY_TITLES = {
    "aim": (_("New aim"), _("Aim")),
    "priority": (_("New thematic priority"), _("Thematic priority %(n)s")),
    "format": (_("New activity format"), _("Activity format %(n)s")),
    "criterion": (_("New adoption criterion"), _("Adoption criterion %(n)s")),
}


def authoring_index(request):
    """Every work programme, newest first, and the way to draft the next one."""
    gate(permissions.can_edit_programme(request.user))
    programmes = selectors.work_programmes_visible_to(request.user).order_by("-first_year")
    return render(request, "programme/authoring/index.html", {"programmes": programmes})


def programme_new(request):
    gate(permissions.can_author_programme(request.user))
    sources = selectors.work_programmes_visible_to(request.user).order_by("-first_year")
    in_force = WorkProgramme.objects.in_force().first()
    initial = {}
    if in_force is not None:
        span = in_force.last_year - in_force.first_year
        initial = {
            "source": in_force.pk,
            "first_year": in_force.last_year + 1,
            "last_year": in_force.last_year + 1 + span,
        }
    form = NewProgrammeForm(request.POST or None, sources=sources, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wp = call_service(
            form,
            authoring.programme_copy,
            source=data["source"],
            reference=data["reference"],
            title_en=data["title_en"],
            title_fr=data["title_fr"],
            first_year=data["first_year"],
            last_year=data["last_year"],
            by=request.user,
        )
        if wp is not None:
            messages.success(request, _("%(title)s is drafted.") % {"title": wp.title})
            return redirect("programme:edit", pk=wp.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programme/authoring/new.html", {"form": form}, status=status)


def _programme(request, pk: int) -> WorkProgramme:
    wp = selectors.programme_for_user(request.user, pk)
    gate(permissions.can_author_programme(request.user, wp))
    return wp


def programme_edit(request, pk: int):
    """The programme being authored, section by section, with every list in order."""
    wp = _programme(request, pk)
    frozen = permissions.can_author_programme(request.user, wp)
    comments = selectors.comments_by_section(wp)
    available = PROGRAMME_WORKFLOW.available(request.user, wp)
    lists = {kind: authoring_entries.entries(wp, kind) for kind in authoring_entries.KINDS}
    for kind in ("priority", "format"):
        for entry in lists[kind]:
            key = f"{kind}:{entry.number}"
            entry.anchor = section_anchor(key)
            entry.comment_count = len(comments.get(key, []))
    return render(
        request,
        "programme/authoring/edit.html",
        {
            "wp": wp,
            "editable": bool(frozen),
            "frozen_reason": frozen.reason,
            "lists": lists,
            "comments": comments,
            "comment_count": sum(len(c) for c in comments.values()),
            "moves": [m for m in available if m.name in ("consult", "rework")],
            # Adoption and putting in force have their own pages (portal/handover.py).
            "next_steps": next_steps(request.user, wp),
            "last_version": selectors.versions_of(wp).first(),
        },
    )


def _editable_or_back(request, wp: WorkProgramme):
    verdict = permissions.can_author_programme(request.user, wp)
    if not verdict:
        messages.error(request, str(verdict.reason))
        return redirect("programme:edit", pk=wp.pk)
    return None


def texts_edit(request, pk: int):
    wp = _programme(request, pk)
    back = _editable_or_back(request, wp)
    if back:
        return back
    names = ["reference", "first_year", "last_year"]
    names += [f"{name}_{lang}" for name in PROGRAMME_TEXTS for lang in LANGUAGES]
    form = TextsForm(request.POST or None, initial={name: getattr(wp, name) for name in names})
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, authoring.programme_update_texts, wp=wp, data=form.cleaned_data, by=request.user
        )
        if done:
            messages.success(request, _("The programme's texts are saved."))
            return redirect("programme:edit", pk=wp.pk)
    return _form_page(request, wp, form, _("Title and texts"))


def thresholds_edit(request, pk: int):
    wp = _programme(request, pk)
    back = _editable_or_back(request, wp)
    if back:
        return back
    initial = {
        "min_criterion_mean": wp.min_criterion_mean,
        "min_total_numerator": wp.min_total_numerator,
        "min_total_denominator": wp.min_total_denominator,
    }
    form = ThresholdsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, authoring.programme_update_thresholds, wp=wp, by=request.user, **form.cleaned_data
        )
        if done:
            messages.success(request, _("The scoring thresholds are saved."))
            return redirect("programme:edit", pk=wp.pk)
    return _form_page(request, wp, form, _("Scoring thresholds"))


def _form_page(request, wp, form, title, status: int | None = None):
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render(
        request,
        "programme/authoring/form.html",
        {"wp": wp, "form": form, "title": title},
        status=status,
    )


def _entry(wp: WorkProgramme, kind: str, item: int | None):
    if kind not in authoring_entries.KINDS:
        raise Http404
    if item is None:
        return None
    model = authoring_entries.KINDS[kind].model
    return get_object_or_404(model._default_manager, pk=item, work_programme=wp)


def entry_edit(request, pk: int, kind: str, item: int | None = None):
    """Add or change an aim, a priority, a format or a criterion."""
    wp = _programme(request, pk)
    entry = _entry(wp, kind, item)
    back = _editable_or_back(request, wp)
    if back:
        return back
    form = EntryForm(request.POST or None, kind=kind, entry=entry)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            authoring_entries.entry_save,
            wp=wp,
            kind=kind,
            entry=entry,
            data=form.service_data(),
            by=request.user,
        )
        if saved is not None:
            messages.success(request, _("%(entry)s is saved.") % {"entry": saved})
            return redirect(f"{_edit_url(wp)}#{kind}-list")
    new, existing = ENTRY_TITLES[kind]
    number = getattr(entry, "number", "") or getattr(entry, "position", "")
    title = existing % {"n": number} if entry else new
    return _form_page(request, wp, form, title)


def _edit_url(wp: WorkProgramme) -> str:
    return reverse("programme:edit", args=[wp.pk])


@require_POST
def entry_change(request, pk: int, kind: str, item: int):
    """Move an entry up or down, or take it out."""
    wp = _programme(request, pk)
    entry = _entry(wp, kind, item)
    action = request.POST.get("action")
    if action in ("up", "down"):
        offset = -1 if action == "up" else 1
        call_with_message(
            request,
            authoring_entries.entry_move,
            wp=wp,
            kind=kind,
            entry=entry,
            offset=offset,
            by=request.user,
        )
    elif action == "remove":
        label = call_with_message(
            request, authoring_entries.entry_remove, wp=wp, kind=kind, entry=entry, by=request.user
        )
        if label:
            messages.success(request, _("%(entry)s is taken out.") % {"entry": label})
    else:
        messages.error(request, _("Move the entry up or down, or take it out."))
    return redirect(f"{_edit_url(wp)}#{kind}-list")


@require_POST
def programme_move(request, pk: int):
    """Open the consultation, or take the programme back to draft."""
    wp = selectors.programme_for_user(request.user, pk)
    gate(permissions.can_move_programme(request.user, wp))
    moved = call_with_message(
        request, authoring.programme_move, wp=wp, move=request.POST.get("move", ""), by=request.user
    )
    if moved is not None:
        messages.success(
            request,
            _("The programme is %(status)s.") % {"status": moved.get_status_display().lower()},
        )
    return redirect("programme:edit", pk=wp.pk)
