"""Time and peak memory of exporting 100,000 activities (issue targets: the CSV in
under 5 s and 150 MB, the XLSX in under 20 s): the exports stream, so memory stays flat.

Run with ``RUN_PERF=1 pytest -m perf -s``; skipped otherwise (creating the rows
takes a while). Each export runs twice: once timed, once under tracemalloc (the peak
of the Python heap; tracemalloc slows the run, so the timed run goes without it).
"""

import datetime as dt
import gc
import os
import time
import tracemalloc
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from activities import selectors
from activities.exports import export_response
from activities.models import Activity

pytestmark = [
    pytest.mark.perf,
    pytest.mark.skipif(os.environ.get("RUN_PERF") != "1", reason="benchmark: set RUN_PERF=1"),
]

ROWS = 100_000
MEGABYTE = 1024 * 1024
LIMITS = {"csv": (5, 150 * MEGABYTE), "xlsx": (20, 150 * MEGABYTE)}


@pytest.fixture
def many_activities(programme, states):
    priorities = list(programme.priorities.order_by("number"))
    formats = list(programme.formats.order_by("number"))
    Activity.objects.bulk_create(
        (
            Activity(
                reference=f"PG-2016-{n:05d}",
                title=f"Activity {n} on drug policy in prisons, airports and cities",
                description="A description that the export does not read. " * 20,
                work_programme=programme,
                permanent_format=formats[n % len(formats)] if n % 3 else None,
                adoption_route=Activity.Route.AD_HOC,
                is_public=True,
                lead_member_state=states["FR"],
                start_date=dt.date(2016, 1 + n % 12, 1),
                end_date=dt.date(2017, 12, 31),
                planned_budget=Decimal(n % 90_000),
                human_rights_considerations="Stated." if n % 2 else "",
                gender_considerations="Stated.",
            )
            for n in range(1, ROWS + 1)
        ),
        batch_size=2000,
    )
    ids = list(Activity.objects.values_list("id", flat=True))
    # One of 3.2–3.4 each, and the transversal 3.1 for every other activity.
    priority_link = Activity.thematic_priorities.through
    links = [
        priority_link(activity_id=pk, thematicpriority_id=priorities[1 + i % 3].pk)
        for i, pk in enumerate(ids)
    ] + [
        priority_link(activity_id=pk, thematicpriority_id=priorities[0].pk)
        for i, pk in enumerate(ids)
        if i % 2
    ]
    priority_link.objects.bulk_create(links, batch_size=5000)
    state_link = Activity.participating_states.through
    state_link.objects.bulk_create(
        (
            state_link(activity_id=pk, memberstate_id=state.pk)
            for pk in ids
            for state in (states["DE"], states["IT"])
        ),
        batch_size=5000,
    )
    return ROWS


def _export(fmt: str) -> int:
    _, qs = selectors.filter_activities(AnonymousUser(), QueryDict(""))
    response = export_response(qs, fmt)
    written = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    return written


def _measure(fmt: str) -> tuple[int, int, float]:
    """Bytes written, peak Python memory and seconds of one export, read to the end."""
    gc.collect()
    started = time.perf_counter()
    written = _export(fmt)
    seconds = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    _export(fmt)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return written, peak, seconds


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exporting_100000_activities_meets_the_targets(many_activities, fmt, capsys):
    written, peak, seconds = _measure(fmt)
    with capsys.disabled():
        print(
            f"\n{fmt}: {many_activities} activities, {written / MEGABYTE:.1f} MB written, "
            f"{seconds:.1f} s, peak {peak / MEGABYTE:.1f} MB (tracemalloc)"
        )
    assert written > many_activities * 50  # every row was written
    max_seconds, max_peak = LIMITS[fmt]
    assert seconds < max_seconds
    assert peak < max_peak
