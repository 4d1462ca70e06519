"""The job queue (the Celery broker) does not answer: compiling says so with a 503
(the portal's page, JSON under /api/), the job it asked for is saved, the page
offers to send it again, and nothing is left queued for a worker that will never
see it. (The same against gunicorn, a real worker and Redis: tests/jobs.)"""

from decimal import Decimal

import pytest
from kombu.exceptions import OperationalError

from activities import services
from activities.models import AnnualProgrammeDocument
from pompidou import jobs
from tests.conftest import client_as, client_for

# Transactional: the job is sent when the service's own transaction commits, inside
# the request, as in production (a test transaction would hold it until the end).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ap(programme, secretariat, media):
    return services.annual_programme_create(
        actor=secretariat, work_programme=programme, year=2016, budget_ceiling=Decimal("1000")
    )


@pytest.fixture
def queue(monkeypatch):
    """The compile messages the queue took; it refuses them until ``queue.up``."""

    class Queue:
        up = False
        taken: list[tuple[int, str]] = []

    def enqueue(self, job_id, attempt):
        if not Queue.up:
            raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
        Queue.taken.append((job_id, attempt))

    monkeypatch.setattr(jobs.DocumentKind, "enqueue", enqueue)
    return Queue


def test_compiling_on_the_pages_while_the_queue_is_down(ap, secretariat, queue):
    client = client_for(secretariat)
    response = client.post(
        "/en/annual-programmes/2016/compile/",
        HTTP_REFERER="http://testserver/en/annual-programmes/2016/",
    )
    assert response.status_code == 503 and response["Retry-After"] == "60"
    page = response.content.decode()
    assert "job queue is unavailable" in page and 'data-testid="back"' in page
    assert 'href="http://testserver/en/annual-programmes/2016/"' in page
    job = AnnualProgrammeDocument.objects.get()
    assert job.status == "queued" and job.dispatched_at is None

    # The programme's page shows the job as not sent, with "Send again".
    page = client.get("/en/annual-programmes/2016/").content.decode()
    assert 'data-testid="job-not-sent"' in page and 'data-testid="send-again"' in page
    # Still down: "Send again" is a 503 again, and nothing changes.
    response = client.post(f"/en/annual-programmes/2016/documents/{job.pk}/retry/")
    assert response.status_code == 503
    queue.up = True
    response = client.post(f"/en/annual-programmes/2016/documents/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert queue.taken == [(job.pk, str(job.attempt))] and job.dispatched_at
    page = client.get(f"/en/annual-programmes/2016/documents/{job.pk}/").content.decode()
    assert "job-not-sent" not in page and "Waiting for a worker" in page
    assert AnnualProgrammeDocument.objects.count() == 1


def test_compiling_through_the_api_while_the_queue_is_down(ap, secretariat, queue):
    client = client_as(secretariat)
    response = client.post("/api/v1/annual-programmes/2016/compile/")
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "60"
    assert "job queue is unavailable" in response.json()["detail"]
    # Asking again is trying again: the same job, sent this time.
    queue.up = True
    response = client.post("/api/v1/annual-programmes/2016/compile/")
    assert response.status_code == 202
    job = AnnualProgrammeDocument.objects.get()
    assert response.json()["id"] == job.pk and queue.taken == [(job.pk, str(job.attempt))]


def test_the_evaluation_report_says_so_too(programme, secretariat, queue):
    client = client_as(secretariat)
    response = client.post(
        "/api/v1/evaluation-reports/",
        {"first_year": 2016, "last_year": 2016},
        format="json",
    )
    assert response.status_code == 503, response.content
    assert "job queue" in response.json()["detail"]


def test_without_a_broker_the_development_server_compiles_in_a_thread(ap, secretariat, settings):
    """`make run` (DEBUG on, no broker): the page comes back at once and a thread
    compiles, through the same token and dispatch as a worker."""
    import time

    settings.DEBUG = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    job, created = services.annual_programme_compile(annual_programme=ap, actor=secretariat)
    assert created
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in ("succeeded", "failed"):
            break
        time.sleep(0.1)
    assert job.status == "succeeded", job.error
    assert job.dispatched_at and job.attempts == 1
