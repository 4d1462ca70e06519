"""The pages of personal data: the privacy notice, "My data" (readable and JSON),
and the Secretariat's erasure of accounts and feedback invitees."""

import json
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


def erase_list(request: HttpRequest) -> HttpResponse:
    """The Secretariat's list of accounts to erase, and the form for an invitee."""
    _require_eraser(request)
    search = request.GET.get("q", "")
    page = Paginator(selectors.accounts_to_erase(search), 50).get_page(request.GET.get("page"))
    form = EraseInviteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = call_service(
            form,
            erasure.invitee_erase,
            email=form.cleaned_data["email"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        if not form.errors:
            messages.success(
                request,
                _("The invitee is erased: %(count)s feedback link(s) no longer name them.")
                % {"count": count},
            )
            return redirect("accounts:erase_list")
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/erase_list.html",
        {
            "page_obj": page,
            "search": search,
            "query": urlencode({"q": search}) if search else "",
            "invitee_form": form,
        },
        status=status,
    )


def erase_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, with a reason, the erasure of one account."""
    _require_eraser(request)
    account: Any = get_object_or_404(get_user_model(), pk=pk)
    verdict = can_erase_account(request.user, account)
    form = EraseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call_service(
            form,
            erasure.account_erase,
            user=account,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        if not form.errors:
            messages.success(
                request,
                _("The account is erased: it now shows as “%(name)s”.")
                % {"name": erasure.pseudonym(account)},
            )
            return redirect("accounts:erase_list")
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/erase_confirm.html",
        {"account": account, "form": form, "verdict": verdict},
        status=status,
    )
