"""Every change in the evaluation: checked, in a transaction; e-mails after commit."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pompidou.errors import DomainError, PermissionDenied
from pompidou.lib.files import validate_document
from programme.models import WorkProgramme

from . import periods, permissions
from .models import (
    EvaluationReport,
    FeedbackInvitation,
    FeedbackRequest,
    FeedbackResponse,
    ImpactAssessment,
    Indicator,
    Measurement,
    ProgressReport,
)

LINK_SALT = "evaluation.feedback-link"
REPORT_FIELDS = ("status", "percent_complete", "narrative", "achievements", "budget_spent")
RATINGS = ("relevance", "quality", "usefulness", "impact")


def _day(value: dt.date | dt.datetime) -> str:
    """A date as people read it on the pages and in the e-mails ("15 December 2026")."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "DATE_FORMAT")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _decimal(value, field: str, errors: dict, minimum: Decimal | None = None):
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError):
        errors[field] = [_("Give a number.")]
        return None
    if minimum is not None and amount < minimum:
        errors[field] = [_("The amount cannot be negative.")]
    return amount


def _check_report(values: dict, activity, errors: dict) -> None:
    if values.get("status") not in ProgressReport.Status.values:
        errors["status"] = [_("Choose on track, at risk or off track.")]
    percent = values.get("percent_complete")
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        errors["percent_complete"] = [_("The percentage is a whole number from 0 to 100.")]
    if not (values.get("narrative") or "").strip():
        errors["narrative"] = [_("Say in a few sentences how the activity is going.")]
    _decimal(values.get("budget_spent", 0), "budget_spent", errors, Decimal("0"))


@transaction.atomic
def progress_report_file(*, activity, actor, period: str, **fields) -> ProgressReport:
    """File the report of a half-year (one per activity and period)."""
    _require(
        permissions.can_file_progress_report(actor, activity),
        _(
            "Progress reports are filed by the lead member state's Permanent "
            "Correspondents and the Secretariat."
        ),
    )
    errors: dict[str, list[str]] = {}
    try:
        start, end = periods.bounds(period)
    except DomainError as exc:
        errors.update(exc.errors)
    else:
        if end < activity.start_date or start > activity.end_date:
            errors["period"] = [
                _("%(ref)s does not run in %(period)s.")
                % {"ref": activity.reference, "period": period}
            ]
        elif ProgressReport.objects.filter(activity=activity, period=period).exists():
            errors["period"] = [
                _("A report for %(period)s exists already; edit it instead.") % {"period": period}
            ]
    values = {"achievements": "", "budget_spent": Decimal("0"), **fields}
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))}]
    _check_report(values, activity, errors)
    if errors:
        raise DomainError(errors)
    try:
        with transaction.atomic():
            return ProgressReport.objects.create(
                activity=activity, period=period, submitted_by=actor, **values
            )
    except IntegrityError as exc:  # the same period filed twice at once
        raise DomainError(
            _("A report for %(period)s exists already; edit it instead.") % {"period": period},
            field="period",
        ) from exc


@transaction.atomic
def progress_report_update(*, report: ProgressReport, actor, **fields) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().select_related("activity").get(pk=report.pk)
    _require(
        permissions.can_file_progress_report(actor, report.activity),
        _("Only those who file the activity's reports change them."),
    )
    if report.is_accepted:
        raise DomainError(
            _("The Secretariat has accepted this report; it can no longer change."), field="status"
        )
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    values = {f: getattr(report, f) for f in REPORT_FIELDS} | fields
    errors: dict[str, list[str]] = {}
    _check_report(values, report.activity, errors)
    if errors:
        raise DomainError(errors)
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
    return report


@transaction.atomic
def progress_report_review(*, report: ProgressReport, actor, comment: str) -> ProgressReport:
    """The supervising Bureau member's review of a report."""
    report = ProgressReport.objects.select_for_update().select_related("activity").get(pk=report.pk)
    _require(
        permissions.can_review_progress_report(actor, report),
        _("The activity's supervising Bureau member reviews its reports."),
    )
    if report.is_accepted:
        raise DomainError(_("The Secretariat has accepted this report; the review is closed."))
    if not comment.strip():
        raise DomainError(_("Write the review."), field="comment")
    report.reviewer_comment = comment
    report.reviewed_by = actor
    report.save(update_fields=["reviewer_comment", "reviewed_by", "updated_at"])
    return report


@transaction.atomic
def progress_report_accept(*, report: ProgressReport, actor) -> ProgressReport:
    _require(
        permissions.can_accept_progress_report(actor),
        _("The Secretariat accepts progress reports."),
    )
    changed = ProgressReport.objects.filter(
        pk=report.pk, review=ProgressReport.Review.SUBMITTED
    ).update(review=ProgressReport.Review.ACCEPTED, accepted_by=actor, accepted_at=timezone.now())
    if changed != 1:
        raise DomainError(_("This report is already accepted."))
    report.refresh_from_db()
    return report


# --- indicators ---------------------------------------------------------------------


@transaction.atomic
def indicator_add(
    *,
    activity,
    actor,
    name: str,
    baseline,
    target,
    unit: str = "",
    direction: str = Indicator.Direction.HIGHER,
) -> Indicator:
    _require(
        permissions.can_manage_indicators(actor, activity),
        _("Indicators are kept by the Secretariat and the lead member state."),
    )
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Name the indicator.")]
    base = _decimal(baseline, "baseline", errors)
    goal = _decimal(target, "target", errors)
    if direction not in Indicator.Direction.values:
        errors["direction"] = [_("Say whether higher or lower is better.")]
    if errors:
        raise DomainError(errors)
    return Indicator.objects.create(
        activity=activity, name=name, unit=unit, baseline=base, target=goal, direction=direction
    )


@transaction.atomic
def measurement_add(
    *, indicator: Indicator, actor, date: dt.date, value, note: str = ""
) -> Measurement:
    _require(
        permissions.can_manage_indicators(actor, indicator.activity),
        _("Measurements are recorded by the Secretariat and the lead member state."),
    )
    errors: dict[str, list[str]] = {}
    amount = _decimal(value, "value", errors)
    if date is None:
        errors["date"] = [_("Give the date of the measurement.")]
    elif date > timezone.localdate():
        errors["date"] = [_("A measurement cannot be dated in the future.")]
    if errors:
        raise DomainError(errors)
    return Measurement.objects.create(indicator=indicator, date=date, value=amount, note=note)


# --- feedback -----------------------------------------------------------------------


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
    if invitation.request.deadline < timezone.localdate():
        raise DomainError(
            _("This request closed on %(day)s; answers are no longer taken.")
            % {"day": _day(invitation.request.deadline)}
        )
    return invitation


@transaction.atomic
def feedback_request_open(
    *, activity, actor, audience: str, questions: str, deadline: dt.date, recipients=(), invitees=()
) -> FeedbackRequest:
    """Ask experts, PCs or named people for feedback; invitees without an account
    get a signed single-use link by e-mail."""
    _require(
        permissions.can_open_feedback_requests(actor), _("The Secretariat opens feedback requests.")
    )
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
        status=FeedbackRequest.Status.OPEN,
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
    from .tasks import send_feedback_request_emails

    transaction.on_commit(lambda: send_feedback_request_emails.delay(request.pk))
    return request


def feedback_request_emails_send(*, request_id: int) -> int:
    """E-mail each named person (a link to their feedback page) and each invitee (the
    signed single-use link) of an open request; returns how many went out."""
    request = (
        FeedbackRequest.objects.select_related("activity")
        .prefetch_related("recipients", "invitations")
        .filter(pk=request_id, status=FeedbackRequest.Status.OPEN)
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
    mine = settings.PORTAL_BASE_URL + reverse("evaluation:my_feedback")
    for user in request.recipients.all():
        if user.email:
            name = user.get_full_name() or user.username
            send_mail(
                subject,
                body % {**values, "name": name, "link": mine},
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
            sent += 1
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


def _check_ratings(ratings: dict) -> dict[str, list[str]]:
    errors = {}
    for field in RATINGS:
        value = ratings.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[field] = [_("Rate from 1 to 5.")]
    return errors


@transaction.atomic
def feedback_respond(
    *, request: FeedbackRequest, actor=None, token: str | None = None, comments: str = "", **ratings
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
        _require(
            actor is not None and permissions.is_addressee(actor, request),
            _("This feedback request is not addressed to you."),
        )
    if request.status != FeedbackRequest.Status.OPEN:
        raise DomainError(_("This request is closed."))
    if request.deadline < timezone.localdate():
        raise DomainError(
            _("This request closed on %(day)s; answers are no longer taken.")
            % {"day": _day(request.deadline)}
        )
    errors = _check_ratings(ratings)
    unknown = set(ratings) - set(RATINGS)
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))}]
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
    except IntegrityError as exc:
        raise DomainError(_("You have already answered this request.")) from exc
    if invitation is not None:
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
    return response


@transaction.atomic
def feedback_request_close(*, request: FeedbackRequest, actor) -> FeedbackRequest:
    _require(
        permissions.can_open_feedback_requests(actor),
        _("The Secretariat closes feedback requests."),
    )
    FeedbackRequest.objects.filter(pk=request.pk).update(status=FeedbackRequest.Status.CLOSED)
    request.refresh_from_db()
    return request


# --- impact -------------------------------------------------------------------------


@transaction.atomic
def impact_assessment_record(
    *, activity, actor, date: dt.date, method: str, findings: str, rating: int, evidence=None
) -> ImpactAssessment:
    _require(permissions.can_record_impact(actor), _("The Secretariat records impact assessments."))
    errors: dict[str, list[str]] = {}
    if not method.strip():
        errors["method"] = [_("Say how the impact was assessed.")]
    if not findings.strip():
        errors["findings"] = [_("Write the findings.")]
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = [_("Rate from 1 to 5.")]
    if date is None:
        errors["date"] = [_("Give the date.")]
    if evidence:
        try:
            validate_document(evidence)
        except ValidationError as exc:
            errors["evidence"] = list(exc.messages)
    if errors:
        raise DomainError(errors)
    return ImpactAssessment.objects.create(
        activity=activity,
        date=date,
        method=method,
        findings=findings,
        rating=rating,
        evidence=evidence or "",
        recorded_by=actor,
    )


# --- compiled evaluation reports ------------------------------------------------------


def evaluation_report_compile(
    *,
    actor: User,
    work_programme: WorkProgramme,
    first_year: int,
    last_year: int,
    scope: str = "all",
    priority=None,
    format=None,
) -> tuple[EvaluationReport, bool]:
    """Ask for the evaluation report of a period and scope; returns (report, created).

    While the same report is queued or running, asking again returns it.
    """
    from .jobs import EVALUATION_REPORT

    _require(
        permissions.can_accept_progress_report(actor),
        _("The Secretariat compiles evaluation reports."),
    )
    errors: dict[str, list[str]] = {}
    years = work_programme.years
    if first_year not in years or last_year not in years:
        errors["first_year"] = [
            _("Choose years within %(a)s–%(b)s.")
            % {"a": work_programme.first_year, "b": work_programme.last_year}
        ]
    elif last_year < first_year:
        errors["last_year"] = [_("The last year is before the first.")]
    if scope not in EvaluationReport.Scope.values:
        errors["scope"] = [_("Choose the whole programme, a priority or a format.")]
    if scope == "priority" and (
        priority is None or priority.work_programme_id != work_programme.pk
    ):
        errors["priority"] = [_("Choose a thematic priority of the work programme.")]
    if scope == "format" and (format is None or format.work_programme_id != work_programme.pk):
        errors["format"] = [_("Choose an activity format of the work programme.")]
    if errors:
        raise DomainError(errors)
    priority = priority if scope == "priority" else None
    format = format if scope == "format" else None
    key = (
        f"{work_programme.pk}:{first_year}-{last_year}:{scope}:"
        f"{getattr(priority, 'pk', '')}:{getattr(format, 'pk', '')}"
    )
    return EVALUATION_REPORT.request(
        actor=actor,
        key=key,
        work_programme=work_programme,
        first_year=first_year,
        last_year=last_year,
        scope=scope,
        priority=priority,
        format=format,
    )


def evaluation_report_retry(*, report: EvaluationReport, actor: User) -> EvaluationReport:
    from .jobs import EVALUATION_REPORT

    _require(
        permissions.can_accept_progress_report(actor),
        _("The Secretariat compiles evaluation reports."),
    )
    return EVALUATION_REPORT.retry(report, actor=actor)


def evaluation_report_run(report_id: int) -> str:
    """Compile one evaluation report (called by the Celery task; idempotent)."""
    from .jobs import EVALUATION_REPORT

    return EVALUATION_REPORT.run(report_id)


def feedback_requests_close_expired(today: dt.date | None = None) -> int:
    """Close the open requests whose deadline has passed (run daily by beat)."""
    today = today or timezone.localdate()
    return FeedbackRequest.objects.filter(
        status=FeedbackRequest.Status.OPEN, deadline__lt=today
    ).update(status=FeedbackRequest.Status.CLOSED)
