"""A real Celery worker writes a long export of the activity list: the API answers
202, the worker (another process, on the broker) writes the file, the client
follows the job to it and gets what the request would have answered."""

import time

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from activities.models import Activity, ActivityExport
from tests.activities.factories import ActivityFactory
from tests.jobs.test_worker import real_worker_setup  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("celery-broker")]


def test_a_real_worker_writes_a_long_export(real_worker_setup, programme, states, settings):  # noqa: F811
    start, media = real_worker_setup
    start()
    with transaction.atomic():
        for n in range(12):
            activity = ActivityFactory(
                title=f"Seminar {n}",
                work_programme=programme,
                adoption_route=Activity.Route.AD_HOC,
                lead_member_state=states["FR"],
                thematic_priorities=[programme.priorities.get(number="3.3")],
            )
            activity.participating_states.set([states["DE"], states["IT"]])
    api = APIClient()
    settings.EXPORT_SYNC_MAX_ROWS = 100
    at_once = b"".join(api.get("/api/v1/activities/export/", {"fmt": "csv"}).streaming_content)
    settings.EXPORT_SYNC_MAX_ROWS = 5
    response = api.get("/api/v1/activities/export/", {"fmt": "csv"})
    assert response.status_code == 202
    url = response.json()["url"]
    deadline = time.monotonic() + 90
    state = api.get(url).json()
    while state["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.25)  # under the anonymous API throttle
        state = api.get(url).json()
    assert state["status"] == "succeeded", state["error"]
    assert state["rows"] == 12 and state["progress"] == 100
    written = b"".join(api.get(state["file"]).streaming_content)
    assert written == at_once
    job = ActivityExport.objects.get()
    assert job.file.path.startswith(str(media))
