"""Notifications survive a job-queue outage: written with the change (the outbox),
sent after the commit, or by the worker's sweep once the queue answers; delivered
once however often the queue hands the message out."""

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from pompidou import outbox, tasks
from pompidou.models import Notice, OutboxMessage
from proposals.models import Proposal
from tests.proposals.factories import submitted


@pytest.fixture
def emails(pc_fr, pc_de):
    pc_fr.email, pc_de.email = "pc@fr.example", "pc@de.example"
    pc_fr.save()
    pc_de.save()


@pytest.fixture
def queue(monkeypatch):
    """The job queue, down until ``queue.up = True``."""

    class Queue:
        up = False

    real_delay = tasks.deliver_outbox.delay

    def delay(*args, **kwargs):
        if not Queue.up:
            raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
        return real_delay(*args, **kwargs)

    monkeypatch.setattr(tasks.deliver_outbox, "delay", delay)
    return Queue


def test_a_submission_during_an_outage_succeeds_and_its_notice_follows(
    pc_fr, programme, emails, queue, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = submitted(pc_fr, programme)  # no error: the queue is not needed to submit
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"
    assert mail.outbox == []
    message = OutboxMessage.objects.get()
    assert message.published_at is None and message.delivered_at is None
    # The notice is in the inbox already; its e-mail waits in the outbox.
    (notice,) = Notice.objects.filter(user__email="pc@de.example")
    assert message.function == "pompidou.notices.email_notices"
    assert message.args == [[notice.pk]]  # only pc_de has an address

    settings.OUTBOX_PUBLISH_GRACE_SECONDS = 0
    assert outbox.flush() == 0  # still down: the row waits
    queue.up = True
    assert outbox.flush() == 1
    assert [m.to for m in mail.outbox] == [["pc@de.example"]]
    assert proposal.reference in mail.outbox[0].body
    message.refresh_from_db()
    assert message.delivered_at and message.attempts == 1
    assert outbox.flush() == 0  # delivered: nothing left to send


def test_a_message_handed_out_twice_is_delivered_once(
    pc_fr, programme, emails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(pc_fr, programme)
    message = OutboxMessage.objects.get()
    assert len(mail.outbox) == 1 and message.pk
    assert outbox.deliver(message.pk) == "nothing to do"
    assert len(mail.outbox) == 1


def test_a_failing_delivery_is_counted_and_given_up_after_its_attempts(
    pc_fr, programme, emails, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submitted(pc_fr, programme)
    message = OutboxMessage.objects.get()

    def refused(*args, **kwargs):
        raise OSError("SMTP server refused the connection")

    monkeypatch.setattr("pompidou.notices.email_notices", refused)
    for attempt in range(1, outbox.MAX_ATTEMPTS):
        with pytest.raises(OSError):
            outbox.deliver(message.pk)
        message.refresh_from_db()
        assert message.attempts == attempt and "refused" in message.last_error
    assert outbox.deliver(message.pk) == "given up"
    message.refresh_from_db()
    assert message.delivered_at is None and message.attempts == outbox.MAX_ATTEMPTS
    assert not outbox.pending().filter(pk=message.pk).exists()


def test_an_unknown_function_fails_in_the_request_not_in_the_worker(db):
    with pytest.raises(ImportError):
        outbox.send("proposals.notifications.no_such_function", 1)
    assert not OutboxMessage.objects.exists()
