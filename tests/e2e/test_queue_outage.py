"""The job queue goes down and comes back, against the portal as it runs in
production: gunicorn (DEBUG off) and a Celery worker on PostgreSQL and Redis, the
broker reached through a port the test closes and opens.

While the queue is down the Secretariat presses "Compile" and gets a clear 503 page
(the API a 503 in JSON), the programme's page shows the compilation as waiting for
the queue with "Send again", and a delegate submits a proposal as usual. Once the
queue is back, the waiting compilation is sent, a worker finishes it, and the
proposal's notification goes out, once, without anyone acting."""

import json
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from activities.models import AnnualProgrammeDocument
from pompidou.models import Notice, OutboxMessage
from proposals.models import Proposal
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.xdist_group("celery-broker")]


def _wait(check, timeout=90, every=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s")


def _post_json(url, token=None, data=None):
    request = urllib.request.Request(
        url,
        data=json.dumps(data or {}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Token {token}"} if token else {}),
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_the_portal_rides_out_a_job_queue_outage(stack, browser):
    processes, broker, mail = stack
    base = processes.web()  # the broker's port is closed: the queue is down

    # The Secretariat compiles the 2016 programme: a 503 page that says what happened.
    secretariat = browser.new_context(locale="en-GB").new_page()
    login(secretariat, base, "secretariat")
    secretariat.goto(f"{base}/en/annual-programmes/2016/")
    secretariat.get_by_role("button", name="Compile as PDF and Word").click()
    notice = secretariat.get_by_test_id("service-unavailable")
    assert "job queue is unavailable" in notice.inner_text()
    assert "saved" in notice.inner_text()
    secretariat.get_by_test_id("back").click()
    secretariat.wait_for_url(f"{base}/en/annual-programmes/2016/")
    expect(secretariat.get_by_test_id("job-not-sent")).to_be_visible()
    job = AnnualProgrammeDocument.objects.get()
    assert job.status == "queued" and job.dispatched_at is None

    # A REST client asking for it gets the same answer, in JSON.
    status, _, body = _post_json(
        f"{base}/api/v1/auth/token/", data={"username": "secretariat", "password": "pompidou-demo"}
    )
    assert status == 200, body
    status, headers, body = _post_json(
        f"{base}/api/v1/annual-programmes/2016/compile/", token=body["token"]
    )
    assert status == 503 and "job queue is unavailable" in body["detail"]
    assert headers["Retry-After"] == "60" and headers["Content-Type"] == "application/json"

    # A delegate submits a proposal meanwhile: nothing in the way, nothing lost.
    delegate = browser.new_context(locale="en-GB").new_page()
    login(delegate, base, "pc_de")
    delegate.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Proposals", exact=True
    ).click()
    delegate.locator("main table tbody tr", has_text="Drug checking services").get_by_role(
        "link"
    ).first.click()
    delegate.get_by_role("button", name="Submit", exact=True).click()
    assert delegate.get_by_test_id("status").inner_text() == "Submitted"
    proposal = Proposal.objects.get(title="Drug checking services: an evidence review")
    assert proposal.status == "submitted"
    assert not mail.exists() or not list(mail.iterdir())
    # The notices are in the inboxes already; their e-mail waits in the outbox.
    told = set(
        Notice.objects.filter(
            kind="proposal_submitted", url=f"/en/proposals/{proposal.pk}/"
        ).values_list("pk", flat=True)
    )
    assert told
    (notice,) = [
        message
        for message in OutboxMessage.objects.filter(function="pompidou.notices.email_notices")
        if set(message.args[0]) <= told
    ]
    assert notice.published_at is None

    # "Send again" while the queue is still down: the same clear answer.
    secretariat.goto(f"{base}/en/annual-programmes/2016/")
    secretariat.get_by_test_id("send-again").click()
    assert (
        "job queue is unavailable" in secretariat.get_by_test_id("service-unavailable").inner_text()
    )

    # The queue comes back. The page hands the waiting compilation over by itself,
    # a worker starts and compiles it, and sends the notification, nobody acting.
    broker.up()
    secretariat.goto(f"{base}/en/annual-programmes/2016/")
    # (The page polls its documents every second; the first sweep after the grace
    # period sends the job, and the warning goes.)
    secretariat.get_by_test_id("job-not-sent").wait_for(state="detached", timeout=30_000)
    assert "Waiting for a worker" in secretariat.get_by_test_id("running-job").inner_text()
    processes.worker()
    secretariat.get_by_test_id("latest-pdf").wait_for(timeout=120_000)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.attempts == 1
    assert AnnualProgrammeDocument.objects.count() == 1

    sent = _wait(lambda: mail.exists() and [p.read_text() for p in mail.iterdir()])
    notice.refresh_from_db()
    assert notice.delivered_at and notice.attempts == 1
    assert len(sent) == 1 and proposal.reference in sent[0]
