"""Feedback: the requests addressed to the user, and the public answer page of the
signed link an invitee without an account gets by e-mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.errors import DomainError
from pompidou.forms import call_service

from .. import permissions, selectors, services
from ..forms import FeedbackAnswerForm
from ..models import FeedbackRequest
from ._common import gate


def _feedback_page(request, status: int = 200, bound=None):
    """The open requests addressed to the user; ``bound`` is (request, form) after a failed
    answer, shown with its errors even when the request is no longer listed."""
    today = timezone.localdate()
    rows = list(selectors.feedback_requests_for(request.user))
    if bound is not None and bound[0].pk not in {r.pk for r in rows}:
        bound[0].answered = False
        rows.insert(0, bound[0])
    items = []
    for fr in rows:
        form = None
        if bound is not None and bound[0].pk == fr.pk:
            form = bound[1]
        elif not fr.answered and fr.deadline >= today:
            form = FeedbackAnswerForm(prefix=f"r{fr.pk}")
        items.append({"request": fr, "form": form, "past": fr.deadline < today})
    return render(
        request,
        "evaluation/my_feedback.html",
        {
            "items": items,
            # Those awaiting an answer first, with their form; the others in a table.
            "waiting": [i for i in items if i["form"] is not None],
            "done": [i for i in items if i["form"] is None],
            "today": today,
        },
        status=status,
    )


def my_feedback(request: HttpRequest) -> HttpResponse:
    return _feedback_page(request)


@require_POST
def feedback_answer(request: HttpRequest, pk: int) -> HttpResponse:
    feedback_request = get_object_or_404(FeedbackRequest.objects.select_related("activity"), pk=pk)
    gate(permissions.can_answer_feedback_request(request.user, feedback_request))
    form = FeedbackAnswerForm(request.POST, prefix=f"r{pk}")
    if form.is_valid() and call_service(
        form,
        services.feedback_respond,
        request=feedback_request,
        actor=request.user,
        **form.cleaned_data,
    ):
        messages.success(
            request,
            _("Thank you: your feedback on %(ref)s is recorded.")
            % {"ref": feedback_request.activity.reference},
        )
        return redirect("evaluation:my_feedback")
    return _feedback_page(request, status=400, bound=(feedback_request, form))


def _refusal_status(token: str) -> int:
    """410 Gone for a genuine link that was used or has expired, 400 for a broken one."""
    try:
        signing.loads(token, salt=services.LINK_SALT)
    except signing.BadSignature:
        return 400
    return 410


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "evaluation/answer_refused.html", {"message": message}, status=status)


@login_not_required
def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """An invitee without an account answers through the signed link of their e-mail, once."""
    try:
        invitation = services.invitation_from_token(token)
    except DomainError as exc:
        return _refused(request, exc.message, _refusal_status(token))
    feedback_request = invitation.request
    form = FeedbackAnswerForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            services.feedback_respond,
            request=feedback_request,
            token=token,
            **form.cleaned_data,
        )
    ):
        return redirect("evaluation:answer_thanks")
    return render(
        request,
        "evaluation/answer_link.html",
        {"invitation": invitation, "feedback_request": feedback_request, "form": form},
        status=400 if form.errors else 200,
    )


@login_not_required
def answer_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/answer_thanks.html")
