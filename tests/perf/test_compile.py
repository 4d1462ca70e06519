"""Benchmarks of the document jobs (printed figures, not timed unit tests).

Run with RUN_PERF=1: the demo year's annual programme (target under 10 s), a
generated year of 1,000 activities (target under 60 s and 600 MB peak) and a year of
5,000 rows, 1,021 entries and 3,979 ad hoc activities as issue 17 measured (target
under 20 s and 400 MB), PDF and DOCX in English and French (the whole job), compiled
in a fresh process whose peak memory (the resident set's high-water mark,
VmHWM, reset after the setup) is read from the OS.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.perf,
    pytest.mark.skipif(not os.environ.get("RUN_PERF"), reason="benchmark: set RUN_PERF=1"),
]

SCRIPT = r"""
import json, resource, sys, time, datetime as dt
from decimal import Decimal
import django
django.setup()
from django.core.management import call_command
from django.test.utils import setup_test_environment
from django.db import connection
from io import StringIO

size, ad_hoc = int(sys.argv[1]), int(sys.argv[2])
call_command("migrate", verbosity=0)
from django.conf import settings
settings.DEBUG = True
call_command("load_demo", stdout=StringIO())
from django.contrib.auth.models import User
from activities.models import Activity, AnnualProgramme, AnnualProgrammeEntry, AnnualProgrammeDocument
from activities import services
from pompidou import jobs
actor = User.objects.get(username="secretariat")
if size:
    ap = AnnualProgramme.objects.get(year=2017)
    AnnualProgramme.objects.filter(pk=ap.pk).update(status="draft")
    wp = ap.work_programme
    priority = wp.priorities.get(number="3.3")
    acts = [Activity(reference=f"PG-2017-E{n:05d}", title=f"Generated activity {n}",
                     work_programme=wp, start_date=dt.date(2017, 1, 1),
                     end_date=dt.date(2017, 12, 31), planned_budget=Decimal("1000"),
                     expected_results="A report.") for n in range(size)]
    Activity.objects.bulk_create(acts)
    created = Activity.objects.filter(reference__startswith="PG-2017-E")
    Activity.thematic_priorities.through.objects.bulk_create(
        Activity.thematic_priorities.through(activity_id=a.pk, thematicpriority_id=priority.pk)
        for a in created)
    AnnualProgrammeEntry.objects.bulk_create(
        AnnualProgrammeEntry(annual_programme=ap, activity=a, budget=Decimal("1000"))
        for a in created)
    formats = list(wp.formats.all())
    Activity.objects.bulk_create(
        Activity(reference=f"PG-2017-A{n:05d}", title=f"Ad hoc seminar number {n} on drug policy",
                 work_programme=wp, adoption_route="ad_hoc", start_date=dt.date(2017, 3, 1),
                 end_date=dt.date(2017, 11, 30), planned_budget=Decimal("2500"),
                 permanent_format=formats[n % len(formats)] if n % 2 else None)
        for n in range(ad_hoc))
    adhoc = Activity.objects.filter(reference__startswith="PG-2017-A")
    Activity.thematic_priorities.through.objects.bulk_create(
        Activity.thematic_priorities.through(activity_id=a.pk, thematicpriority_id=priority.pk)
        for a in adhoc)
    year = 2017
else:
    year = 2016
ap = AnnualProgramme.objects.get(year=year)
doc = AnnualProgrammeDocument.objects.create(annual_programme=ap, reference=f"P-PG (2099) {size}",
                                             document_date=dt.date.today(), requested_by=actor)
entries = ap.entries.count()
import gc; gc.collect()
def vm_hwm_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
rss_before = vm_hwm_mb()
try:  # reset the high-water mark (Linux), so the setup's own peak does not count
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass
start = time.perf_counter()
services.annual_programme_document_run(doc.pk)
seconds = time.perf_counter() - start
doc.refresh_from_db()
peak_mb = vm_hwm_mb()
print(json.dumps({"entries": entries, "ad_hoc": ad_hoc, "seconds": round(seconds, 2), "peak_mb": round(peak_mb), "setup_peak_mb": round(rss_before),
                  "status": doc.status, "pdf_kb": doc.pdf.size // 1024,
                  "docx_kb": doc.docx.size // 1024}))
"""


def _run(size: int, tmp_path, ad_hoc: int = 0) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'perf.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "DJANGO_SETTINGS_MODULE": "pompidou.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(size), str(ad_hoc)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_demo_annual_programme_compiles_in_under_10_seconds(tmp_path):
    figures = _run(0, tmp_path)
    print(f"\ndemo annual programme 2016: {figures}")
    assert figures["status"] == "succeeded"
    assert figures["seconds"] < 10


def test_a_year_of_1000_activities_compiles_in_under_60_s_and_600_mb(tmp_path):
    figures = _run(1000, tmp_path)
    print(f"\ngenerated year of 1,000 activities: {figures}")
    assert figures["status"] == "succeeded"
    assert figures["entries"] >= 1000
    assert figures["seconds"] < 60
    assert figures["peak_mb"] < 600


def test_a_year_of_5000_rows_compiles_in_under_20_s_and_400_mb(tmp_path):
    figures = _run(1021, tmp_path, ad_hoc=3979)
    print(f"\ngenerated year of 1,021 entries and 3,979 ad hoc activities: {figures}")
    assert figures["status"] == "succeeded"
    assert figures["entries"] >= 1021
    assert figures["seconds"] < 20
    assert figures["peak_mb"] < 400
