"""Sync is stable under concurrent writes: a change committed late, with a time older
than changes committed before it, still reaches a client that synced in between."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from activities.models import Activity
from tests.activities.api_helpers import LIST, make
from tests.api.sync_client import Mirror
from tests.conftest import client_as


@pytest.fixture
def postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL (set DATABASE_URL)")


@pytest.mark.postgres
def test_a_change_committed_late_with_an_earlier_time_reaches_a_client_that_synced_between(
    postgres_only, programme, states, settings
):
    # No margin: what keeps the late change is the watermark's "oldest open transaction".
    settings.SYNC_SAFETY_MARGIN_SECONDS = 0
    with transaction.atomic():  # the reference counter locks its row
        late = make(programme, states, adoption_route=Activity.Route.AD_HOC, title="Before")
        early = make(programme, states, adoption_route=Activity.Route.AD_HOC, title="Before")
    api = client_as(None)
    mirror = Mirror(api, LIST, "reference")
    mirror.full()

    saved, may_commit = threading.Event(), threading.Event()

    def slow_writer():
        # As a service does: lock the row, change it (``updated_at`` taken now), and
        # commit only later, on its own connection.
        try:
            with transaction.atomic():
                row = Activity.objects.select_for_update().get(pk=late.pk)
                row.title = "Late"
                row.save(update_fields=["title", "updated_at"])
                saved.set()
                assert may_commit.wait(timeout=30)
        finally:
            connections.close_all()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    try:
        assert saved.wait(timeout=30)
        # Another change, committed at once, after the late one's time.
        early.title = "Early"
        early.save(update_fields=["title", "updated_at"])
        mirror.sync()
        listed = api.get(LIST)
        assert mirror.rows[late.reference]["title"] == "Before"  # not committed yet
    finally:
        may_commit.set()
        writer.join(timeout=30)

    late.refresh_from_db()
    early.refresh_from_db()
    assert late.updated_at < early.updated_at  # committed later, dated earlier
    # The watermark handed out while the writer was open does not pass its change.
    assert dt.datetime.fromisoformat(listed["Sync-Watermark"]) <= late.updated_at
    mirror.sync()
    assert mirror.rows[late.reference]["title"] == "Late"
    assert mirror.rows[early.reference]["title"] == "Early"
    assert mirror.rows == Mirror(api, LIST, "reference").download()
