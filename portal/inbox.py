"""The inbox: a person's notices (pompidou/notices.py), newest first, and how they
want to hear of each kind."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou import notices
from pompidou.forms import call_service
from pompidou.models import NoticePreference
from proposals.selectors import due_this_week

PER_PAGE = 20
SHOW = ("all", "unread")


def _back(request: HttpRequest) -> str:
    """The inbox page the person acted from (its filter and page), or the inbox."""
    target = request.POST.get("next", "")
    inbox = reverse("inbox")
    if target.startswith(inbox) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return inbox


def inbox(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "all")
    if show not in SHOW:
        messages.warning(request, _("Unknown filter: all notices are shown."))
        show = "all"
    notices_qs = notices.notices_of(request.user, unread_only=show == "unread")
    page = Paginator(notices_qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/inbox.html",
        {
            "page": page,
            "show": show,
            "query": urlencode({"show": show}),
            "here": request.get_full_path(),
            # What is due this week, as the dashboard shows it.
            "due": due_this_week(request.user),
        },
    )


def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notice's page and mark it read on the way.

    A GET that writes, on purpose: the notice's link stays a link (a new tab, the
    address copied). The write is harmless and idempotent: it only ever sets the
    reader's own notice as read, once, so a forged link can do no more than a click
    would; it redirects only to a path of the portal."""
    notice = notices.notice_mark_read(user=request.user, notice_id=pk)
    if notice is None:
        raise Http404(_("No such notice in your inbox."))
    target = notice.url or reverse("inbox")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("inbox")
    return redirect(_in_language(target, get_language()))


def _in_language(path: str, language: str) -> str:
    """The same page in the reader's language: the notice keeps the path it was written
    with (``/en/…``); only the language prefix differs (the paths are not translated)."""
    codes = {code for code, _name in settings.LANGUAGES}
    parts = path.split("/", 2)
    if len(parts) == 3 and parts[0] == "" and parts[1] in codes and language in codes:
        return f"/{language}/{parts[2]}"
    return path


@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    if notices.notice_mark_read(user=request.user, notice_id=pk) is None:
        raise Http404(_("No such notice in your inbox."))
    messages.success(request, _("The notice is marked as read."))
    return redirect(_back(request))


@require_POST
def notices_read_all(request: HttpRequest) -> HttpResponse:
    count = notices.notices_mark_all_read(user=request.user)
    messages.success(request, _("All notices are marked as read (%(count)s).") % {"count": count})
    return redirect(_back(request))


class PreferencesForm(forms.Form):
    """One choice per registered kind of notice."""

    def __init__(self, *args: Any, initial_choices: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in notices.KINDS.items():
            self.fields[kind] = forms.ChoiceField(
                label=str(label),
                choices=NoticePreference.Delivery.choices,
                widget=forms.RadioSelect,
                initial=initial_choices.get(kind),
                error_messages={
                    "required": _("Choose how you hear of this."),
                    "invalid_choice": _(
                        "Choose an e-mail at once, a daily digest or the inbox only."
                    ),
                },
            )


def notice_preferences(request: HttpRequest) -> HttpResponse:
    current = notices.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        # The service checks again (a kind or a delivery it does not know saves nothing).
        call_service(form, notices.preferences_set, user=request.user, choices=form.cleaned_data)
        if not form.errors:
            messages.success(request, _("Your preferences are saved."))
            return redirect("notice_preferences")
    status = 400 if form.errors else 200
    return render(request, "portal/notice_preferences.html", {"form": form}, status=status)
