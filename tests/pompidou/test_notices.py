"""Notices: in the inbox always, by e-mail as each person prefers (at once, in the
daily digest, or not), read in the reader's language."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext_noop

from pompidou import notices
from pompidou.models import Notice, NoticePreference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kind():
    notices.register_kind("test_kind", "A test notice")
    yield
    notices.KINDS.pop("test_kind", None)


def _user(name, email=True, active=True):
    return User.objects.create_user(
        name, f"{name}@example.org" if email else "", "pw-x-123456", is_active=active
    )


def _notify(users):
    return notices.notify(
        users,
        "test_kind",
        # A message of the catalogue, read in the reader's language.
        title=gettext_noop("Decision on the proposal: %(title)s"),
        params={"title": "Cannabis seminar"},
        url="/en/proposals/1/",
    )


def test_each_active_person_gets_one_notice_and_an_email_at_once_by_default(
    django_capture_on_commit_callbacks,
):
    ann, bob, gone = _user("ann"), _user("bob"), _user("gone", active=False)
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify([ann, bob, ann, gone, None])
    assert sorted(n.user.username for n in created) == ["ann", "bob"]
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bob@example.org"]
    assert mail.outbox[0].subject == "Decision on the proposal: Cannabis seminar"
    assert "http://" in mail.outbox[0].body and "/en/proposals/1/" in mail.outbox[0].body
    assert Notice.objects.filter(emailed_at__isnull=False).count() == 2
    assert notices.unread_count(ann) == 1


def test_the_inbox_only_and_the_digest_send_nothing_at_once(django_capture_on_commit_callbacks):
    quiet, digest = _user("quiet"), _user("digest")
    NoticePreference.objects.create(user=quiet, kind="test_kind", delivery="inbox")
    NoticePreference.objects.create(user=digest, kind="test_kind", delivery="digest")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([quiet, digest])
        _notify([digest])
    assert mail.outbox == []
    assert Notice.objects.filter(user=quiet).count() == 1
    # The daily digest: one e-mail with both notices, once.
    assert notices.send_digests() == 1
    assert [m.to for m in mail.outbox] == [["digest@example.org"]]
    assert mail.outbox[0].body.count("Decision on the proposal: Cannabis seminar") == 2
    assert notices.send_digests() == 0
    assert not Notice.objects.filter(user=digest, emailed_at__isnull=True).exists()
    assert Notice.objects.filter(user=quiet, emailed_at__isnull=True).count() == 1


def test_a_notice_reads_in_the_readers_language():
    (notice,) = _notify([_user("ann")])
    with translation.override("fr"):
        french = notice.title_text
    with translation.override("en"):
        english = notice.title_text
    assert english == "Decision on the proposal: Cannabis seminar"
    assert french != english and "Cannabis seminar" in french


def test_an_unknown_kind_is_refused_and_writes_nothing():
    with pytest.raises(ValueError):
        notices.notify([_user("ann")], "no_such_kind", title="x")
    assert not Notice.objects.exists()
