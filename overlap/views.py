"""The proposer marks a similar item; the lists themselves are shown by the proposal
pages through the ``similar_items`` tag (templatetags/overlap.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.errors import DomainError
from pompidou.forms import call_service
from pompidou.rules import gate
from proposals.selectors import get_proposal_for_user

from . import permissions, services
from .forms import MarkForm


def _back(request, proposal_pk: int) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target.split("#")[0] + "#similar"
    return reverse("proposals:detail", args=[proposal_pk]) + "#similar"


@require_POST
def mark(request, pk: int):
    proposal = get_proposal_for_user(request.user, pk)
    gate(permissions.can_mark_similar(request.user, proposal))
    form = MarkForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
        return redirect(_back(request, pk))
    data = form.cleaned_data
    try:
        saved = call_service(
            None,
            services.mark_similar,
            proposal=proposal,
            actor=request.user,
            verdict=data["verdict"],
            activity=data["activity"] or None,
            other_proposal=data["proposal"],
        )
    except DomainError as exc:
        for message in exc.errors.values():
            for text in message:
                messages.error(request, text)
    else:
        item = saved.activity or saved.other_proposal
        messages.success(
            request,
            _("%(ref)s marked “%(verdict)s”.")
            % {"ref": item.reference or item.pk, "verdict": saved.get_verdict_display()},
        )
    return redirect(_back(request, pk))
