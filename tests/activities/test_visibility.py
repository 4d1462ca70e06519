"""The stored public flag (``Activity.is_public``) against the rule it stores, after
every change of the rule's inputs: an activity created or its route changed, an entry
added to or removed from an annual programme, an annual programme adopted or rolled
over, the hand-over to a new work programme, an import of records, the demo, and a bulk
insert followed by ``refresh_public()``."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef, Q

from activities import services
from activities.models import Activity, AnnualProgramme, AnnualProgrammeEntry
from activities.visibility import refresh_public
from programme.models import Meeting
from proposals.handover import programme_put_in_force
from records import services as records
from tests.programme.handover_setup import world
from tests.records.sheets import ACTIVITY_HEADERS, activity_row, upload, xlsx_bytes


def old_rule() -> set[int]:
    """The oracle: the rule ``ActivityQuerySet.public()`` asked row by row before the
    flag was stored, copied as it was."""
    in_adopted_programme = AnnualProgrammeEntry.objects.filter(
        activity=OuterRef("pk"), annual_programme__status=AnnualProgramme.Status.ADOPTED
    )
    return set(
        Activity.objects.filter(
            Q(adoption_route__in=[Activity.Route.AD_HOC, Activity.Route.URGENT])
            | Q(Exists(in_adopted_programme))
        ).values_list("pk", flat=True)
    )


def assert_flag_is_the_rule() -> set[int]:
    stored = set(Activity.objects.public().values_list("pk", flat=True))
    assert stored == old_rule()
    return stored


@pytest.fixture
def plenary(db):
    return Meeting.objects.create(
        kind=Meeting.Kind.PC_PLENARY, number=77, date=dt.date(2015, 11, 20), place="Strasbourg"
    )


def test_the_flag_follows_creation_route_changes_entries_and_adoption(
    secretariat, base, programme, plenary
):
    ad_hoc = services.activity_create(actor=secretariat, **base, adoption_route="ad_hoc")
    urgent = services.activity_create(actor=secretariat, **base, adoption_route="urgent")
    annual = services.activity_create(actor=secretariat, **base)
    other = services.activity_create(actor=secretariat, **base)
    assert ad_hoc.is_public and urgent.is_public and not annual.is_public
    assert assert_flag_is_the_rule() == {ad_hoc.pk, urgent.pk}

    changed = services.activity_update(activity=ad_hoc, actor=secretariat, adoption_route="annual")
    assert not changed.is_public
    assert assert_flag_is_the_rule() == {urgent.pk}
    services.activity_update(activity=ad_hoc, actor=secretariat, adoption_route="ad_hoc")
    assert assert_flag_is_the_rule() == {ad_hoc.pk, urgent.pk}

    ap = services.annual_programme_create(actor=secretariat, work_programme=programme, year=2016)
    services.annual_programme_add_activity(annual_programme=ap, activity=annual, actor=secretariat)
    entry = services.annual_programme_add_activity(
        annual_programme=ap, activity=other, actor=secretariat
    )
    assert assert_flag_is_the_rule() == {ad_hoc.pk, urgent.pk}  # a draft adopts nothing
    services.annual_programme_remove_activity(entry=entry, actor=secretariat)
    assert_flag_is_the_rule()

    services.annual_programme_adopt(annual_programme=ap, actor=secretariat, meeting=plenary)
    assert assert_flag_is_the_rule() == {ad_hoc.pk, urgent.pk, annual.pk}
    # Adopted through the programme, the route no longer decides.
    services.activity_update(activity=annual, actor=secretariat, adoption_route="ad_hoc")
    services.activity_update(activity=annual, actor=secretariat, adoption_route="annual")
    assert annual.pk in assert_flag_is_the_rule()


def test_the_flag_follows_the_roll_over_and_an_adopted_proposal(
    secretariat, base, programme, plenary
):
    fmt = programme.formats.get(number="4.1")
    running = services.activity_create(
        actor=secretariat, **{**base, "end_date": dt.date(2017, 12, 31)}, permanent_format=fmt
    )
    ap = services.annual_programme_create(actor=secretariat, work_programme=programme, year=2016)
    services.annual_programme_add_activity(annual_programme=ap, activity=running, actor=secretariat)
    services.annual_programme_adopt(annual_programme=ap, actor=secretariat, meeting=plenary)
    nxt = services.annual_programme_roll_over(annual_programme=ap, actor=secretariat)
    assert nxt.entries.filter(activity=running).exists()
    assert assert_flag_is_the_rule() == {running.pk}

    adopted = services.activity_create_adopted(
        actor=secretariat,
        source="PR-2016-0001",
        **{**base, "start_date": dt.date(2017, 1, 2), "end_date": dt.date(2017, 6, 30)},
    )
    services.annual_programme_add_adopted(activity=adopted, year=2017, actor=secretariat)
    assert adopted.pk not in assert_flag_is_the_rule()  # 2017 is still a draft


def test_the_flag_follows_the_hand_over_to_a_new_programme(programme, states, secretariat):
    w = world(programme, states)
    refresh_public()
    activities, proposals = w.rows()
    programme_put_in_force(w.new, by=secretariat, activities=activities, proposals=proposals)
    assert_flag_is_the_rule()


def test_the_flag_follows_an_import_of_activities_and_entries(programme, secretariat, media):
    rows = [activity_row(1), activity_row(2), activity_row(3)]
    headers = [*ACTIVITY_HEADERS, "Adopted by"]
    rows = [[*row, route] for row, route in zip(rows, ["ad_hoc", "annual", "urgent"], strict=True)]
    record = records.import_check(
        kind="activities", upload=upload(xlsx_bytes(headers, rows)), actor=secretariat
    )
    records.import_confirm(record=record, actor=secretariat)
    public = assert_flag_is_the_rule()
    assert {a.reference for a in Activity.objects.filter(pk__in=public)} == {
        "PG-2016-001",
        "PG-2016-003",
    }
    entries = [[2016, "PG-2016-002", "5000"]]
    record = records.import_check(
        kind="annual-programmes",
        upload=upload(xlsx_bytes(["Year", "Activity reference", "Budget"], entries), "ap.xlsx"),
        actor=secretariat,
    )
    records.import_confirm(record=record, actor=secretariat)
    assert len(assert_flag_is_the_rule()) == 2  # entered in a draft: not adopted yet


def test_the_flag_of_the_demo_is_the_rule(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    public = assert_flag_is_the_rule()
    assert 0 < len(public) < Activity.objects.count()


def test_refresh_public_sets_the_flag_of_a_bulk_insert(programme, states):
    made = Activity.objects.bulk_create(
        Activity(
            reference=f"PG-2016-{900 + n}",
            title=f"Bulk {n}",
            work_programme=programme,
            adoption_route=route,
            start_date=dt.date(2016, 1, 1),
            end_date=dt.date(2016, 12, 31),
            is_public=route == "annual",  # wrong on purpose: the refresh puts it right
        )
        for n, route in enumerate(["ad_hoc", "annual", "urgent", "annual"])
    )
    assert refresh_public() == 4
    assert assert_flag_is_the_rule() == {made[0].pk, made[2].pk}
    assert refresh_public() == 0  # nothing left to change: no row rewritten
