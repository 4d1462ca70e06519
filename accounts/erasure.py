"""Erasing an account, or a feedback invitee, while the record stays true.

The account is kept (every proposal, support, assessment, vote and decision keeps
pointing at it, so counts and the history do not change) but it no longer names
anyone: its username, names and e-mail become a stable pseudonym derived from its
primary key with the portal's secret (``pseudonym``), never from the name. Where the
name was written down as text (the history, comments and their earlier versions,
notices, the outbox, attendance lists, feedback links, reminders, the back office's
log) it is replaced by the pseudonym. What served only the person (sessions, API
token, two-factor devices, their inbox, lockout records) is deleted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Model, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from pompidou import audit
from pompidou.errors import DomainError
from pompidou.rules import require

from .permissions import can_erase_account
from .personal_data import DELETE, REGISTRY

PSEUDONYM_SALT = "accounts.pseudonym"
PSEUDONYM_NAME = "Former member"
INVITEE_NAME = "Former invitee"
ERASED_DOMAIN = "erased.invalid"

# Text written by people or by the portal that may carry a person's name, e-mail or
# username: (model, fields). JSON fields are searched as text and rewritten value by
# value. A new model storing names as text belongs here.
TEXT_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pompidou.AuditEvent", ("subject_label", "comment", "changes")),
    ("pompidou.Notice", ("params",)),
    ("pompidou.OutboxMessage", ("args", "kwargs")),
    ("proposals.Comment", ("body",)),
    ("programme.ProgrammeComment", ("text",)),
    ("proposals.CommentVersion", ("body",)),
    ("proposals.Decision", ("rationale",)),
    ("proposals.BureauVote", ("comment",)),
    ("proposals.Support", ("note",)),
    ("evaluation.ProgressReport", ("reviewer_comment",)),
    ("evaluation.FeedbackResponse", ("comments",)),
    ("evaluation.ReminderLog", ("recipient",)),
    ("meetings.Attendance", ("attendees",)),
    ("meetings.AgendaItem", ("conclusion",)),
    ("admin.LogEntry", ("object_repr", "change_message")),
)
# django-axes' database records name the username they were tried with.
AXES_MODELS = ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog")


def pseudonym_code(value: Any, salt: str = PSEUDONYM_SALT) -> str:
    """Six hex digits, stable for ``value`` (a primary key), unguessable without the
    portal's SECRET_KEY."""
    return salted_hmac(salt, str(value)).hexdigest()[:6]


def pseudonym(user: Any) -> str:
    """The name an erased account shows: "Former member a1b2c3"."""
    return f"{PSEUDONYM_NAME} {pseudonym_code(user.pk)}"


def pseudonym_username(user: Any) -> str:
    return f"former-{pseudonym_code(user.pk)}"


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for every identifier, longest first, matched as
    whole words (``pc_fr`` in "@pc_fr" but not in "pc_free")."""
    words = sorted({w for w in words if w and len(w) >= 3}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _replace(value: Any, pattern: re.Pattern[str], replacement: Any) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_replace(v, pattern, replacement) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, pattern, replacement) for k, v in value.items()}
    return value


def scrub_texts(
    identifiers: dict[str, str], *, models: Iterable[tuple[str, tuple[str, ...]]] = TEXT_FIELDS
) -> int:
    """Replace each identifier (key) by its replacement (value) wherever the
    registered texts hold it; the number of rows changed."""
    pattern = _pattern(identifiers)
    if pattern is None:
        return 0
    lookup = {key.lower(): value for key, value in identifiers.items()}

    def replacement(match: re.Match[str]) -> str:
        return lookup[match.group(0).lower()]

    changed = 0
    for label, fields in models:
        model = apps.get_model(label)
        query, annotations = Q(), {}
        for name in fields:
            if model._meta.get_field(name).get_internal_type() == "JSONField":
                annotations[f"{name}_text"] = Cast(name, TextField())
                name = f"{name}_text"
            for word in identifiers:
                query |= Q(**{f"{name}__icontains": word})
        for row in model._default_manager.annotate(**annotations).filter(query):
            updates = {}
            for name in fields:
                old = getattr(row, name)
                new = _replace(old, pattern, replacement)
                if new != old:
                    updates[name] = new
            if updates:
                model._default_manager.filter(pk=row.pk).update(**updates)
                changed += 1
    return changed


def _delete_sessions(user: Any) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


def _delete_lockout_records(usernames: Iterable[str]) -> None:
    for label in AXES_MODELS:
        try:
            model: type[Model] = apps.get_model(label)
        except LookupError:
            continue
        model._default_manager.filter(username__in=list(usernames)).delete()


@transaction.atomic
def account_erase(user: Any, *, by: Any, reason: str) -> Any:
    """Deactivate ``user`` and replace everything that names them by their pseudonym,
    keeping every record they are part of. Refused for oneself and for the last
    active Secretariat member."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    require(can_erase_account(by, user))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the account is erased."), field="reason")
    display, username = pseudonym(user), pseudonym_username(user)
    identifiers = {user.username: username}
    if user.get_full_name():
        identifiers[user.get_full_name()] = display
    if user.email:
        identifiers[user.email] = display
    old_email, old_username = user.email, user.username

    for part in REGISTRY:
        if part.erase == DELETE:
            part.rows(user).delete()
    _scrub_invitations(old_email, display, pseudonym_code(user.pk))
    scrub_texts(identifiers)
    _delete_sessions(user)
    _delete_lockout_records([old_username])

    user.username, user.first_name = username, PSEUDONYM_NAME
    user.last_name, user.email = pseudonym_code(user.pk), ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    audit.record(
        user,
        audit.Kind.UPDATED,
        by,
        changes={"erased": [False, True], "is_active": [True, False]},
        comment=scrub_reason(reason, identifiers),
        label=username,
    )
    return user


def scrub_reason(reason: str, identifiers: dict[str, str]) -> str:
    """The reason as recorded: without the name it may quote."""
    pattern = _pattern(identifiers)
    if pattern is None:
        return reason
    lookup = {key.lower(): value for key, value in identifiers.items()}
    return pattern.sub(lambda m: lookup[m.group(0).lower()], reason)


def _scrub_invitations(email: str, display: str, code: str) -> int:
    """The feedback links sent to ``email``: name and address become the pseudonym
    (the answers stay, counted as before)."""
    if not email:
        return 0
    model = apps.get_model("evaluation.FeedbackInvitation")
    return model._default_manager.filter(email__iexact=email).update(
        name=display, email=f"{code}@{ERASED_DOMAIN}"
    )


@transaction.atomic
def invitee_erase(email: str, *, by: Any, reason: str) -> int:
    """Erase a feedback invitee without an account (answered through a signed link):
    the links' name and address, and their mentions in the history and reminders,
    become "Former invitee a1b2c3". The number of links changed."""
    from .permissions import can_erase_accounts

    require(can_erase_accounts(by))
    email = (email or "").strip()
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = [_("Give the e-mail address the feedback link was sent to.")]
    if not reason:
        errors["reason"] = [_("Say why the invitee is erased.")]
    if errors:
        raise DomainError(errors)
    model = apps.get_model("evaluation.FeedbackInvitation")
    invitations = list(model._default_manager.filter(email__iexact=email))
    if not invitations:
        raise DomainError(_("No feedback link was sent to this address."), field="email")
    code = pseudonym_code(email.lower(), salt=f"{PSEUDONYM_SALT}.invitee")
    display = f"{INVITEE_NAME} {code}"
    identifiers = {email: display}
    identifiers.update({inv.name: display for inv in invitations if inv.name})
    count = model._default_manager.filter(pk__in=[i.pk for i in invitations]).update(
        name=display, email=f"{code}@{ERASED_DOMAIN}"
    )
    scrub_texts(identifiers)
    for invitation in invitations:
        audit.record(
            invitation.request,
            audit.Kind.UPDATED,
            by,
            changes={"invitee": ["", display]},
            comment=scrub_reason(reason, identifiers),
        )
    return count
