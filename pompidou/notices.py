"""Notices: what the portal tells a person (a proposal to support, an assessment due,
a vote open, a decision, a feedback request, a comment, a report overdue).

Every notice lands in the person's inbox (:class:`~pompidou.models.Notice`); by
e-mail it goes out as their preference for its kind says: at once (the default), in
the daily digest, or not at all (the inbox only). ``notify`` writes the notices in
the caller's transaction and hands the e-mails to the outbox (pompidou/outbox.py),
so a notice exists exactly when the change it announces was committed, and an
e-mail survives a job-queue outage.

The kinds are declared once, by the app that sends them, with ``register_kind``
(in its ``AppConfig.ready``), so the preferences page lists them all::

    register_kind("proposal_submitted", _("A proposal to support"))

    notify(
        users,
        "proposal_submitted",
        title=gettext_noop("Proposal submitted: %(title)s"),
        body=gettext_noop("%(reference)s — %(title)s, by %(state)s."),
        params={"title": proposal.title, "reference": proposal.reference, "state": "…"},
        url=reverse("proposals:detail", args=[proposal.pk]),
    )

``title`` and ``body`` are message ids of the catalogue (marked with
``gettext_noop``) formatted with ``params`` when shown, so each reader reads them in
their language; ``url`` is the page's path (the e-mail makes it absolute). A value
of ``params`` that is itself a lazy translation (a ``TextChoices`` label) or a date is
kept as such and read in the reader's language too (``Notice.title_text``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import outbox
from .errors import DomainError
from .listing import lists_changed
from .models import Notice, NoticePreference

Delivery = NoticePreference.Delivery

# kind -> its label for the preferences page (lazy text), in the order registered.
KINDS: dict[str, str | Promise] = {}


def register_kind(kind: str, label: str | Promise) -> None:
    KINDS[kind] = label


def _param(value: Any) -> Any:
    """A value of ``params`` as stored: a lazy translation keeps its message id and a
    date its ISO form, so both are read in the reader's language; anything else is text."""
    if isinstance(value, Promise):
        with translation.override(None):  # no catalogue: the message id itself
            return {"msgid": str(value)}
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"date": value.isoformat()}
    return str(value)


def delivery_for(user: Any, kind: str) -> str:
    pref = NoticePreference.objects.filter(user=user, kind=kind).first()
    return pref.delivery if pref else Delivery.IMMEDIATE


def notify(
    users: Iterable[Any],
    kind: str,
    *,
    title: str,
    body: str = "",
    params: dict[str, Any] | None = None,
    url: str = "",
) -> list[Notice]:
    """One notice per active user (each once, whatever ``users`` repeats), in the
    caller's transaction; the e-mails of those who want them at once go to the outbox."""
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}: register it with register_kind")
    params = {k: _param(v) for k, v in (params or {}).items()}
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    if not recipients:
        return []
    with transaction.atomic():
        notices = Notice.objects.bulk_create(
            Notice(user=user, kind=kind, title=title, body=body, params=params, url=url)
            for user in recipients.values()
        )
        quiet = set(
            NoticePreference.objects.filter(user__in=recipients, kind=kind)
            .exclude(delivery=Delivery.IMMEDIATE)
            .values_list("user_id", flat=True)
        )
        at_once = [n.pk for n in notices if n.user_id not in quiet and n.user.email]
        if at_once:
            outbox.send("pompidou.notices.email_notices", at_once)
    return notices


def absolute(url: str) -> str:
    base = getattr(settings, "PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + url if url.startswith("/") else url


def email_notices(notice_ids: list[int]) -> int:
    """Send the notices ``notice_ids`` not sent yet, one e-mail each, over one
    connection to the mail server (an outbox function: run once per message by the
    worker; a refusal leaves them all unsent, for the outbox to try again)."""
    messages, sent_ids = [], []
    with translation.override(settings.LANGUAGE_CODE):
        for notice in Notice.objects.filter(
            pk__in=notice_ids, emailed_at__isnull=True
        ).select_related("user"):
            if not notice.user.email:
                continue
            lines = [notice.body_text, absolute(notice.url) if notice.url else ""]
            messages.append(
                EmailMessage(
                    notice.title_text,
                    "\n\n".join(line for line in lines if line) + "\n",
                    settings.DEFAULT_FROM_EMAIL,
                    [notice.user.email],
                )
            )
            sent_ids.append(notice.pk)
    if messages:
        get_connection().send_messages(messages)
        Notice.objects.filter(pk__in=sent_ids).update(emailed_at=timezone.now())
    return len(messages)


def send_digests(now: dt.datetime | None = None) -> int:
    """The daily digest (a beat task): to each person who chose it for some kind, one
    e-mail listing the notices of those kinds not e-mailed yet. Returns the e-mails sent."""
    now = now or timezone.now()
    digest_kinds: dict[int, set[str]] = {}
    for user_id, kind in NoticePreference.objects.filter(delivery=Delivery.DIGEST).values_list(
        "user_id", "kind"
    ):
        digest_kinds.setdefault(user_id, set()).add(kind)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user_id, kinds in digest_kinds.items():
            with transaction.atomic():
                pending = list(
                    Notice.objects.select_for_update(skip_locked=True)
                    .filter(user_id=user_id, kind__in=kinds, emailed_at__isnull=True)
                    .select_related("user")
                    .order_by("created_at", "id")
                )
                if not pending or not pending[0].user.email:
                    continue
                body = "\n\n".join(
                    f"• {n.title_text}" + (f"\n  {absolute(n.url)}" if n.url else "")
                    for n in pending
                )
                send_mail(
                    _("Your daily digest: %(count)s notices") % {"count": len(pending)},
                    body + "\n",
                    settings.DEFAULT_FROM_EMAIL,
                    [pending[0].user.email],
                )
                Notice.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
                sent += 1
    return sent


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


# --- the inbox: reads and the person's own changes ------------------------------------


def notices_of(user: Any, *, unread_only: bool = False) -> Any:
    """The person's notices, newest first (their own only)."""
    notices = Notice.objects.filter(user=user).defer("emailed_at")
    return notices.filter(read_at__isnull=True) if unread_only else notices


def notice_mark_read(*, user: Any, notice_id: int) -> Notice | None:
    """Mark one of the person's notices read (again: nothing changes); ``None`` when it
    is not theirs or does not exist, so no one learns of another's notices."""
    notice = Notice.objects.filter(user=user, pk=notice_id).first()
    if notice is not None and notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(
            read_at=notice.read_at, updated_at=notice.read_at
        )
        lists_changed()  # the unread list's count
    return notice


def notices_mark_all_read(*, user: Any) -> int:
    """Mark all the person's unread notices read; returns how many."""
    marked = Notice.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now(), updated_at=timezone.now()
    )
    lists_changed()  # the unread list's count
    return marked


def preferences_of(user: Any) -> dict[str, str]:
    """Each registered kind with how the person hears of it (at once when unset)."""
    saved = dict(
        NoticePreference.objects.filter(user=user, kind__in=KINDS).values_list("kind", "delivery")
    )
    return {kind: saved.get(kind, Delivery.IMMEDIATE) for kind in KINDS}


@transaction.atomic
def preferences_set(*, user: Any, choices: dict[str, str]) -> None:
    """Save how the person hears of each kind; an unknown kind or delivery raises
    ``DomainError`` and saves nothing."""
    errors: dict[str, list[str]] = {}
    for kind, delivery in choices.items():
        if kind not in KINDS:
            errors[kind] = [_("This kind of notice does not exist.")]
        elif delivery not in Delivery.values:
            errors[kind] = [_("Choose an e-mail at once, a daily digest or the inbox only.")]
    if errors:
        raise DomainError(errors)
    for kind, delivery in choices.items():
        NoticePreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
