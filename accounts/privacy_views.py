"""The pages of personal data: the privacy notice, "My data" (readable and JSON),
and the Secretariat's erasure of accounts and feedback invitees."""

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pompidou.forms import call_service

from . import erasure, selectors
from .forms import EraseAccountForm, EraseInviteeForm
from .permissions import can_erase_account, can_erase_accounts
from .personal_data import collect


@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    """What the portal keeps, why, for how long, and whom to ask (public)."""
    return render(
        request,
        "accounts/privacy.html",
        {
            "feedback_link_days": settings.FEEDBACK_LINK_RETENTION_DAYS,
            "login_record_days": settings.LOGIN_RECORD_RETENTION_DAYS,
            "session_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
            "contact": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return value
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the portal holds about me, readable and printable (the same data
    as the JSON file)."""
    data = collect(request.user)
    account = [(key, _text(value)) for key, value in data["account"].items()]
    sections = [
        {
            "title": section["title"],
            "model": section["model"],
            "rows": [[(k, _text(v)) for k, v in row.items()] for row in section["rows"]],
        }
        for section in data["sections"]
    ]
    return render(
        request,
        "accounts/my_data.html",
        {"data": data, "account": account, "sections": sections},
    )


def my_data_json(request: HttpRequest) -> HttpResponse:
    """The same, as one JSON file."""
    body = json.dumps(collect(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-data-{day}.json"'
    return response


def _require_eraser(request: HttpRequest) -> None:
    verdict = can_erase_accounts(request.user)
    if not verdict:
        raise PermissionDenied(str(verdict))


def _messages_invitee(count: int) -> str:
    return ngettext(
        "The invitee is erased: %(count)s feedback link no longer names them.",
        "The invitee is erased: %(count)s feedback links no longer name them.",
        count,
    ) % {"count": count}


def _message_account(erased: Any) -> str:
    return _("The account is erased: it now shows as “%(name)s”.") % {
        "name": erased.get_full_name()
    }


def _erase_page(
    request: HttpRequest,
    form: Any,
    template: str,
    context: dict[str, Any],
    erase: Callable[..., Any],
    done: Callable[[Any], str],
) -> HttpResponse:
    """The page with its erasure form: a valid POST runs ``erase`` with the form's
    data and the user as the one who erases, says ``done(result)`` and goes back to
    the list; a refusal or bad input shows the form again (400), nothing changed."""
    if request.method == "POST" and form.is_valid():
        result = call_service(form, erase, by=request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(request, done(result))
            return redirect("accounts:erase_list")
    return render(request, template, context, status=400 if form.errors else 200)


def erase_list(request: HttpRequest) -> HttpResponse:
    """The Secretariat's list of accounts to erase, and the form for an invitee."""
    _require_eraser(request)
    search = request.GET.get("q", "")
    page = Paginator(selectors.accounts_to_erase(search), 50).get_page(request.GET.get("page"))
    form = EraseInviteeForm(request.POST or None)
    context = {
        "page_obj": page,
        "search": search,
        "query": urlencode({"q": search}) if search else "",
        "invitee_form": form,
    }
    return _erase_page(
        request, form, "accounts/erase_list.html", context,
        erase=lambda confirm, **data: erasure.invitee_erase(**data),
        done=_messages_invitee,
    )  # fmt: skip


def erase_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, with a reason, the erasure of one account."""
    _require_eraser(request)
    account: Any = get_object_or_404(get_user_model(), pk=pk)
    form = EraseAccountForm(request.POST or None)
    context = {
        "account": account,
        "form": form,
        "verdict": can_erase_account(request.user, account),
    }
    return _erase_page(
        request, form, "accounts/erase_confirm.html", context,
        erase=lambda confirm, **data: erasure.account_erase(account, **data),
        done=_message_account,
    )  # fmt: skip
