"""The pages around a draft's versions and consultation: its versions, the
side-by-side comparison of two of them (or of the draft against the programme in
force), and the consultation page where correspondents and the Bureau comment on
each section and the Secretariat reads every comment."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from pompidou.forms import call_service
from pompidou.rules import gate

from . import authoring_comments, permissions, selectors, versions
from .authoring_forms import CommentForm
from .models import WorkProgramme

IN_FORCE = "in_force"


def _choices(wp: WorkProgramme, history: list) -> list[tuple[str, str]]:
    choices = [
        (
            str(v.number),
            _("Version %(n)s, %(when)s")
            % {
                "n": v.number,
                "when": date_format(localtime(v.created_at), "SHORT_DATETIME_FORMAT"),
            },
        )
        for v in history
    ]
    in_force = WorkProgramme.objects.in_force().exclude(pk=wp.pk).first()
    if in_force is not None:
        choices.append((IN_FORCE, _("The programme in force: %(t)s") % {"t": in_force.title}))
    return choices


def _snapshot(wp: WorkProgramme, choice: str):
    if choice == IN_FORCE:
        in_force = WorkProgramme.objects.in_force().exclude(pk=wp.pk).first()
        return versions.snapshot(in_force) if in_force else None
    if not choice.isdigit():
        return None
    version = wp.versions.filter(number=int(choice)).only("snapshot").first()
    return version.snapshot if version else None


def programme_versions(request, pk: int):
    """The versions of a programme and, when two are picked, their comparison."""
    wp = selectors.programme_for_user(request.user, pk)
    gate(permissions.can_view_programme_versions(request.user, wp))
    history = list(selectors.versions_of(wp))
    for version in history:
        version.changed_labels = [versions.section_label(key) for key in version.changed]
    choices = _choices(wp, history)
    default_a = IN_FORCE if len(history) < 2 and choices and choices[-1][0] == IN_FORCE else ""
    a = request.GET.get("a") or default_a or (str(history[-1].number) if history else "")
    b = request.GET.get("b") or (str(history[0].number) if history else "")
    diff, error = None, ""
    if "a" in request.GET or "b" in request.GET:
        before, after = _snapshot(wp, a), _snapshot(wp, b)
        if before is None or after is None:
            error = _("Choose two versions of this programme, or the programme in force.")
        else:
            diff = versions.compare(before, after)
    return render(
        request,
        "programme/authoring/versions.html",
        {
            "wp": wp,
            "history": history,
            "choices": choices,
            "a": a,
            "b": b,
            "diff": diff,
            "changed_count": sum(1 for d in diff or [] if d.changed),
            "error": error,
            "comments": [
                (versions.section_label(key), notes)
                for key, notes in selectors.comments_by_section(wp).items()
            ],
        },
        status=400 if error else 200,
    )


def consultation(request, pk: int):
    """The draft section by section, its comments, and a comment box per section."""
    wp = selectors.programme_for_user(request.user, pk)
    gate(permissions.can_view_consultation(request.user, wp))
    can_comment = permissions.can_comment_programme(request.user, wp)
    bound = None
    if request.method == "POST":
        gate(can_comment)
        bound = CommentForm(request.POST)
        if bound.is_valid():
            done = call_service(
                bound,
                authoring_comments.comment_add,
                wp=wp,
                section=bound.cleaned_data["section"],
                text=bound.cleaned_data["text"],
                by=request.user,
            )
            if done:
                messages.success(request, _("Your comment is recorded."))
                anchor = authoring_comments.section_anchor(bound.cleaned_data["section"])
                return redirect(
                    f"{reverse('programme:consultation', args=[wp.pk])}#section-{anchor}"
                )
    comments = selectors.comments_by_section(wp)
    sections = []
    snap = versions.snapshot(wp)
    titles = versions.section_titles(snap)
    for key, lines in versions.sections(snap).items():
        form = bound if bound is not None and bound.data.get("section") == key else None
        sections.append(
            {
                "key": key,
                "anchor": authoring_comments.section_anchor(key),
                "label": versions.section_label(key),
                "title": titles.get(key, ""),
                "lines": lines,
                "comments": comments.get(key, []),
                "form": form
                or CommentForm(
                    initial={"section": key},
                    auto_id=f"id_{authoring_comments.section_anchor(key)}_%s",
                ),
            }
        )
    return render(
        request,
        "programme/authoring/consultation.html",
        {
            "wp": wp,
            "sections": sections,
            "can_comment": bool(can_comment),
            "why_not": can_comment.reason,
        },
        status=400 if bound is not None else 200,
    )
