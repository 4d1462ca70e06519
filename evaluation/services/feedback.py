"""Feedback on an activity: the Secretariat asks experts, PCs or named people (with or
without an account); they answer once, until the deadline; the request closes."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from activities.models import Activity
from pompidou import audit, notices, outbox, tombstones
from pompidou.errors import DomainError
from pompidou.rules import require
from pompidou.tombstones import touch

from .. import permissions
from ..models import FeedbackInvitation, FeedbackRequest, FeedbackResponse
from ..periods import day as _day
from ..workflow import FEEDBACK_REQUEST
from ._common import unknown_fields

LINK_SALT = "evaluation.feedback-link"
FEEDBACK_REQUESTED = "feedback_requested"
RATINGS = ("relevance", "quality", "usefulness", "impact")


def feedback_link(invitation: FeedbackInvitation) -> str:
    """The signed single-use address an invitee answers through."""
    token = signing.dumps({"i": invitation.pk, "r": invitation.request_id}, salt=LINK_SALT)
    return settings.PORTAL_BASE_URL + reverse("evaluation:answer_link", args=[token])


def invitation_from_token(token: str) -> FeedbackInvitation:
    """The invitation behind a link; a clear error for a tampered, used or expired one."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
        invitation = FeedbackInvitation.objects.select_related("request__activity").get(
            pk=data["i"], request_id=data["r"]
        )
    except (signing.BadSignature, KeyError, TypeError, FeedbackInvitation.DoesNotExist) as exc:
        raise DomainError(
            _(
                "This link is not valid. Use the link from your e-mail as it is, "
                "or ask the Secretariat for a new one."
            )
        ) from exc
    if invitation.used_at is not None:
        raise DomainError(
            _("This link has already been used: your answer was recorded on %(day)s. Thank you.")
            % {"day": _day(invitation.used_at)}
        )
    require(permissions.request_taking_answers(invitation.request))
    return invitation


@transaction.atomic
def feedback_request_open(
    *,
    activity: Activity,
    actor: User,
    audience: str,
    questions: str,
    deadline: dt.date,
    recipients: Iterable[Any] = (),
    invitees: Iterable[tuple[str, str]] = (),
) -> FeedbackRequest:
    """Ask experts, PCs or named people for feedback; invitees without an account
    get a signed single-use link by e-mail."""
    require(permissions.can_open_feedback_requests(actor, activity))
    invitees = list(invitees)
    errors: dict[str, list[str]] = {}
    if audience not in FeedbackRequest.Audience.values:
        errors["audience"] = [_("Choose experts, Permanent Correspondents or named people.")]
    if not questions.strip():
        errors["questions"] = [_("Write the questions.")]
    if deadline is None or deadline < timezone.localdate():
        errors["deadline"] = [_("The deadline must be today or later.")]
    if audience == FeedbackRequest.Audience.NAMED and not recipients and not invitees:
        errors["recipients"] = [_("Name at least one person.")]
    for name, email in invitees:
        if not name.strip() or "@" not in (email or ""):
            errors["invitees"] = [_("Each invitee needs a name and an e-mail address.")]
    if errors:
        raise DomainError(errors)
    # Two identical requests at once (a double click) queue on the activity's row: the
    # second sees the first below and is refused.
    list(type(activity).objects.select_for_update().filter(pk=activity.pk).values_list("pk"))
    wanted_people = {getattr(u, "pk", u) for u in recipients}
    wanted_emails = {e.strip().lower() for _n, e in invitees}
    # An exact duplicate (same activity, audience, questions and people, still open)
    # is a double click or a forgotten request: refuse it rather than e-mail twice.
    for same in FeedbackRequest.objects.filter(
        activity=activity,
        audience=audience,
        questions__iexact=questions.strip(),
        status__in=FEEDBACK_REQUEST.group("open"),
    ).prefetch_related("recipients", "invitations"):
        if {u.pk for u in same.recipients.all()} == wanted_people and {
            i.email.lower() for i in same.invitations.all()
        } == wanted_emails:
            raise DomainError(
                _(
                    "The same request (same questions and recipients) is already open on this "
                    "activity, until %(day)s. Close it first, or change the recipients."
                )
                % {"day": _day(same.deadline)},
                field="recipients",
            )
    request = FeedbackRequest.objects.create(
        activity=activity,
        audience=audience,
        questions=questions.strip(),
        deadline=deadline,
        created_by=actor,
    )
    request.recipients.set(recipients)
    for n, e in invitees:
        FeedbackInvitation.objects.create(request=request, name=n, email=e)
    audit.record(
        request,
        audit.Kind.CREATED,
        actor,
        changes={"deadline": [None, deadline], "audience": [None, audience]},
    )
    with translation.override(settings.LANGUAGE_CODE):
        mine = reverse("evaluation:my_feedback")
    # The named people with an account: a notice (in the inbox, e-mailed as each prefers)
    # with a link to their feedback page; the invitees: the signed link by e-mail.
    notices.notify(
        request.recipients.all(),
        FEEDBACK_REQUESTED,
        title=gettext_noop("Your feedback on %(title)s"),
        body=gettext_noop(
            "The Pompidou Group asks for your feedback on %(ref)s %(title)s by %(day)s:"
            "\n\n%(questions)s"
        ),
        params={
            "ref": activity.reference,
            "title": activity.title,
            "day": deadline,
            "questions": request.questions,
        },
        url=mine,
    )
    if invitees:
        outbox.send(
            "evaluation.services.feedback.feedback_request_emails_send", request_id=request.pk
        )
    return request


def feedback_request_emails_send(*, request_id: int) -> int:
    """E-mail each invitee of an open request (the signed single-use link: they have
    no account, so no inbox); returns how many went out."""
    request = (
        FeedbackRequest.objects.select_related("activity")
        .prefetch_related("recipients", "invitations")
        .filter(pk=request_id, status__in=FEEDBACK_REQUEST.group("open"))
        .first()
    )
    if request is None:
        return 0
    subject = _("Your feedback on %(title)s") % {"title": request.activity.title}
    body = _(
        "Dear %(name)s,\n\nThe Pompidou Group asks for your feedback on %(ref)s %(title)s "
        "by %(day)s:\n\n%(questions)s\n\nAnswer here: %(link)s\n"
    )
    values = {
        "ref": request.activity.reference,
        "title": request.activity.title,
        "day": _day(request.deadline),
        "questions": request.questions,
    }
    sent = 0
    for invitation in request.invitations.filter(used_at__isnull=True):
        send_mail(
            subject,
            body
            % {
                **values,
                "name": invitation.name,
                "link": feedback_link(invitation) + " " + _("(the link works once)"),
            },
            settings.DEFAULT_FROM_EMAIL,
            [invitation.email],
        )
        sent += 1
    return sent


def _check_ratings(ratings: dict[str, Any]) -> dict[str, list[str]]:
    errors = {}
    for field in RATINGS:
        value = ratings.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[field] = [_("Rate from 1 to 5.")]
    return errors


@transaction.atomic
def feedback_respond(
    *,
    request: FeedbackRequest,
    actor: User | None = None,
    token: str | None = None,
    comments: str = "",
    **ratings: Any,
) -> FeedbackResponse:
    """An answer from an addressee with an account, or through a signed link."""
    invitation = None
    if token is not None:
        invitation = invitation_from_token(token)
        invitation = FeedbackInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:  # used by a concurrent answer
            raise DomainError(_("This link has already been used."))
        request = invitation.request
    else:
        require(permissions.can_answer_feedback_request(actor, request))
    # Read again: a request closed since the page was shown takes no answer.
    require(permissions.request_taking_answers(FeedbackRequest.objects.get(pk=request.pk)))
    errors = _check_ratings(ratings)
    unknown = set(ratings) - set(RATINGS)
    if unknown:
        errors["__all__"] = [unknown_fields(set(ratings), RATINGS)]
    if errors:
        raise DomainError(errors)
    if (
        actor is not None
        and invitation is None
        and request.responses.filter(respondent=actor).exists()
    ):
        raise DomainError(_("You have already answered this request."))
    try:
        with transaction.atomic():
            response = FeedbackResponse.objects.create(
                request=request,
                respondent=actor if invitation is None else None,
                invitation=invitation,
                comments=comments,
                **ratings,
            )
            touch(FeedbackRequest, [request.pk])  # its record shows the answers
    except IntegrityError as exc:
        raise DomainError(_("You have already answered this request.")) from exc
    if invitation is not None:
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
    audit.record(
        request,
        audit.Kind.ANSWERED,
        actor if invitation is None else None,
        # The ratings are the respondent's to give, not the history's to repeat.
        comment=_("through a link, by %(name)s") % {"name": invitation.name}
        if invitation is not None
        else "",
    )
    return response


@transaction.atomic
def feedback_request_close(*, request: FeedbackRequest, actor: User) -> FeedbackRequest:
    """The Secretariat closes a request before its deadline; it takes no more answers."""
    request = FeedbackRequest.objects.get(pk=request.pk)
    require(permissions.can_close_feedback_request(actor, request))
    _close(request, actor, check_permission=False)
    return request


def _close(request: FeedbackRequest, actor: User | None, **move: Any) -> None:
    FEEDBACK_REQUEST.move(request, FeedbackRequest.Status.CLOSED, actor, **move)
    # Those it asked read open requests only: their copies drop it (the changes feed).
    tombstones.record_departure([request], tombstones.Reason.CLOSED)


def feedback_requests_close_expired(today: dt.date | None = None) -> int:
    """Close the open requests whose deadline has passed (run daily by beat, as the
    portal: no actor). Each closing is a move with its event; returns how many."""
    today = today or timezone.localdate()
    closed = 0
    expired = FeedbackRequest.objects.filter(
        status__in=FEEDBACK_REQUEST.group("open"), deadline__lt=today
    ).select_related("activity")
    for request in expired:
        try:
            with transaction.atomic():
                _close(request, None, comment=_("The deadline has passed."))
        except DomainError:  # closed by the Secretariat meanwhile
            continue
        closed += 1
    return closed
