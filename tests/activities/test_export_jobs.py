"""Exports longer than EXPORT_SYNC_MAX_ROWS are written by a worker: the list page
and the API start a job, follow its progress and hand over the same file the
request would have answered with. Tasks run in the test's process."""

import datetime as dt

import pytest
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from activities import export_jobs, exports
from activities.models import Activity, ActivityExport
from tests.activities.factories import ActivityFactory

LIST = "/en/activities/"
EXPORT = "/api/v1/activities/export/"


@pytest.fixture
def listed(programme, states, media, settings):
    """Five adopted activities of 2016 and one of 2017; a list of more than two rows
    is exported by a job."""
    settings.EXPORT_SYNC_MAX_ROWS = 2
    with transaction.atomic():  # references are numbered under a row lock
        _create(programme, states)


def _create(programme, states):
    for n in range(5):
        activity = ActivityFactory(
            title=f"=Seminar {n}" if n == 0 else f"Seminar {n}",
            work_programme=programme,
            adoption_route=Activity.Route.AD_HOC,
            lead_member_state=states["FR"],
            thematic_priorities=[programme.priorities.get(number="3.3")],
        )
        activity.participating_states.set([states["DE"]])
    ActivityFactory(
        title="Next year",
        work_programme=programme,
        adoption_route=Activity.Route.AD_HOC,
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 6, 30),
    )


def _at_once(client, url, params, settings) -> bytes:
    """The same export answered in the request (no limit)."""
    limit, settings.EXPORT_SYNC_MAX_ROWS = settings.EXPORT_SYNC_MAX_ROWS, 1000
    response = client.get(url, params)
    settings.EXPORT_SYNC_MAX_ROWS = limit
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_long_list_exported_from_the_page_is_written_by_a_job(
    client, listed, settings, django_capture_on_commit_callbacks
):
    params = {"fmt": "csv", "year": "2016", "ordering": "title"}
    # The link asks first (a GET starts nothing: crawlers and prefetches follow links).
    asked = client.get(LIST, params)
    assert asked.status_code == 200 and not ActivityExport.objects.exists()
    assert b"The list holds 5 activities" in asked.content
    query = asked.context["query"]
    assert QueryDict(query) == QueryDict("fmt=csv&year=2016&ordering=title")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/activities/exports/", {"query": query})
    job = ActivityExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/activities/exports/{job.token}/"
    assert (job.status, job.total, job.written, job.requested_by) == ("succeeded", 5, 5, None)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'aria-valuenow="100"' in page.content and b"activities-2016.csv" in page.content
    download = client.get(f"/en/activities/exports/{job.token}/file/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="activities-2016.csv"'
    written = b"".join(download.streaming_content)
    assert written == _at_once(client, LIST, params, settings)
    assert b"'=Seminar 0" in written  # still protected against formulas


def test_a_confirmation_without_a_list_or_format_is_refused(client, listed):
    assert client.get("/en/activities/exports/").status_code == 405
    assert client.post("/en/activities/exports/", {}).status_code == 400
    bad = client.post("/en/activities/exports/", {"query": "fmt=pdf&year=2016"})
    assert bad.status_code == 400
    assert client.post("/en/activities/exports/", {"query": "fmt=csv&year=abc"}).status_code == 400
    assert not ActivityExport.objects.exists()


def test_a_list_short_again_when_confirmed_is_answered_at_once(client, listed, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 10
    response = client.post("/en/activities/exports/", {"query": "fmt=csv&year=2016"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not ActivityExport.objects.exists()


def test_a_short_list_is_still_answered_at_once(client, listed):
    response = client.get(LIST, {"fmt": "csv", "year": "2016", "search": "Seminar 1"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not ActivityExport.objects.exists()


def test_the_api_answers_202_and_the_client_follows_the_job_to_the_file(
    listed, settings, django_capture_on_commit_callbacks
):
    api = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.get(EXPORT, {"fmt": "xlsx", "year": 2016})
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["url"]
    assert body["rows"] == 5 and body["filename"] == "activities-2016.xlsx"
    state = api.get(body["url"]).json()
    assert state["status"] == "succeeded" and state["progress"] == 100
    download = api.get(state["file"])
    assert download.status_code == 200
    assert download["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_a_members_export_is_theirs_alone(pc_fr, pc_de, listed, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_login(pc_fr)
    with django_capture_on_commit_callbacks(execute=True):
        body = api.get(EXPORT, {"fmt": "csv"}).json()
    assert ActivityExport.objects.get().requested_by == pc_fr
    assert api.get(body["url"]).status_code == 200
    api.force_login(pc_de)
    assert api.get(body["url"]).status_code == 404
    assert api.get(body["url"] + "file/").status_code == 404
    api.logout()
    assert api.get(body["url"]).status_code == 404


def test_the_worker_reads_the_list_with_the_rights_of_who_asked(
    pc_fr, programme, listed, django_capture_on_commit_callbacks
):
    """A member's export holds the activities not adopted yet; a visitor's does not."""
    ActivityFactory(title="Not adopted yet", work_programme=programme)
    for user in (pc_fr, None):
        api = APIClient()
        if user:
            api.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            body = api.get(EXPORT, {"fmt": "csv"}).json()
        text = b"".join(api.get(api.get(body["url"]).json()["file"]).streaming_content)
        assert (b"Not adopted yet" in text) == bool(user)


def test_the_job_runs_once_whatever_the_messages(listed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        APIClient().get(EXPORT, {"fmt": "csv"})
    job = ActivityExport.objects.get()
    assert export_jobs.run_export(job.pk, str(job.token)) == "nothing to do"
    other = ActivityExport.objects.create(fmt="csv", language="en", filename="a.csv", total=6)
    assert export_jobs.run_export(other.pk, str(job.token)) == "nothing to do"  # not its token
    assert export_jobs.run_export(other.pk, str(other.token)) == "succeeded"


def test_progress_is_recorded_every_chunk(listed, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    job = ActivityExport.objects.create(fmt="csv", language="en", filename="a.csv", total=6)
    seen = []
    update = ActivityExport.objects.filter(pk=job.pk)

    def progress(written):
        update.update(written=written)
        seen.append(ActivityExport.objects.get(pk=job.pk).progress)

    monkeypatch.setattr(
        export_jobs.exports,
        "write_export",
        lambda qs, fmt, out, _progress, real=exports.write_export: real(qs, fmt, out, progress),
    )
    assert export_jobs.run_export(job.pk) == "succeeded"
    assert seen == [33, 66, 99]  # 2, 4 and 6 of 6 rows; 100 once stored
    job.refresh_from_db()
    assert job.progress == 100 and job.written == 6


def test_an_export_whose_worker_stopped_says_so(client, listed, settings):
    stale = timezone.now() - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS + 1)
    job = ActivityExport.objects.create(
        fmt="csv", language="en", filename="a.csv", total=6, status="running", heartbeat_at=stale
    )
    page = client.get(f"/en/activities/exports/{job.token}/")
    assert b"The worker writing the export stopped" in page.content
    job.refresh_from_db()
    assert job.status == "failed"


def test_while_the_queue_is_down_the_export_says_so(transactional_db, client, listed, monkeypatch):
    from activities import tasks

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.export_activities, "delay", down)
    response = client.post("/en/activities/exports/", {"query": "fmt=csv"})
    assert response.status_code == 503
    assert ActivityExport.objects.get().status == "failed"


def test_finished_exports_go_after_the_hours_they_are_kept(listed, settings, media):
    old = ActivityExport.objects.create(fmt="csv", language="en", filename="a.csv", total=6)
    assert export_jobs.run_export(old.pk) == "succeeded"
    old.refresh_from_db()
    path = old.file.path
    ActivityExport.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - dt.timedelta(hours=settings.EXPORT_KEEP_HOURS + 1)
    )
    new = ActivityExport.objects.create(fmt="csv", language="en", filename="b.csv", total=6)
    assert export_jobs.run_export(new.pk) == "succeeded"
    assert list(ActivityExport.objects.all()) == [new]
    import os

    assert not os.path.exists(path)


def test_the_workers_sweep_sends_again_an_export_no_worker_took(listed, settings):
    """Its message was lost (a broker restarted without it): the sweep every worker
    runs hands it to the queue again; a running one whose worker died fails."""
    from pompidou.jobs import sweep_everywhere

    now = timezone.now()
    lost = now - dt.timedelta(seconds=settings.JOB_REDISPATCH_SECONDS + 1)
    ActivityExport.objects.create(fmt="csv", language="en", filename="r.csv", total=6)
    waiting = ActivityExport.objects.create(fmt="csv", language="en", filename="w.csv", total=6)
    dead = ActivityExport.objects.create(
        fmt="csv",
        language="en",
        filename="d.csv",
        total=6,
        status="running",
        heartbeat_at=now - dt.timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS + 1),
    )
    ActivityExport.objects.filter(pk__in=[waiting.pk, dead.pk]).update(updated_at=lost)

    counts = sweep_everywhere(now)  # tasks run in the test's process

    assert (counts["exports_sent"], counts["exports_failed"]) == (1, 1)
    states = dict(ActivityExport.objects.values_list("filename", "status"))
    assert states == {"r.csv": "queued", "w.csv": "succeeded", "d.csv": "failed"}
    assert "stopped" in ActivityExport.objects.get(pk=dead.pk).error
    # Nothing left to do: the next sweep sends nothing.
    again = sweep_everywhere(now)
    assert (again["exports_sent"], again["exports_failed"]) == (0, 0)
