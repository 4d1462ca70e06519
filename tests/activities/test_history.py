"""The change log in words: labels, names, yes/no, d/m/Y, and only for members."""

import datetime as dt
from decimal import Decimal

import pytest

from activities import permissions, services
from pompidou.templatetags.audit import audit_history, describe
from tests.conftest import client_for

D = Decimal


@pytest.fixture
def activity(secretariat, programme, states):
    return services.activity_create(
        actor=secretariat,
        work_programme=programme,
        title="Darknet drug markets",
        thematic_priorities=[programme.priorities.get(number="3.4")],
        start_date=dt.date(2016, 2, 1),
        end_date=dt.date(2016, 11, 30),
        lead_member_state=states["DE"],
        planned_budget=D("25000"),
        adoption_route="ad_hoc",
    )


def _changes(record) -> dict[str, tuple[str, str]]:
    return {c.label: (c.old, c.new) for c in describe(record)}


def test_an_edit_is_described_with_field_labels_and_readable_values(
    secretariat, activity, states, programme
):
    services.activity_update(
        activity=activity,
        actor=secretariat,
        carried_over=True,
        end_date=dt.date(2019, 3, 31),
        participating_states=[states["FR"], states["IT"]],
        lead_member_state=states["FR"],
        planned_budget=D("31000.5"),
        thematic_priorities=[programme.priorities.get(number="3.1")],
    )
    record = activity.history.get(kind="updated")
    changes = _changes(record)
    assert changes["Carried over"] == ("no", "yes")
    assert changes["End"] == ("30/11/2016", "31/03/2019")
    assert changes["Participating states"] == ("—", "France, Italy")
    assert changes["Lead member state"] == ("Germany", "France")
    assert changes["Planned budget (EUR)"] == ("25,000.00", "31,000.50")
    assert changes["Thematic priorities"][1].startswith("3.1 ")
    text = str(changes)
    assert "False" not in text and "[" not in text and "carried_over" not in text


def test_a_status_change_shows_the_status_labels(secretariat, activity):
    activity.human_rights_considerations = activity.gender_considerations = "Stated."
    activity.save()
    services.activity_change_status(activity=activity, actor=secretariat, status="ongoing")
    (event,) = activity.history.filter(kind="status")
    row = audit_history([event])["entries"][0]
    assert (row["label"], row["from"], row["to"]) == ("status changed", "Planned", "Ongoing")


def test_choices_are_shown_with_their_labels(secretariat, activity):
    services.activity_update(activity=activity, actor=secretariat, adoption_route="urgent")
    assert _changes(activity.history.get(kind="updated")) == {
        "Adopted by": ("Ad hoc (Permanent Correspondents)", "Urgent (Bureau)")
    }


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("pc_fr", True),
        ("bureau_chair", True),
        ("expert", True),
        ("secretariat", True),
    ],
)
def test_only_members_see_the_history(personas, persona, sees):
    assert bool(permissions.can_view_history(personas[persona])) is sees


def test_the_public_page_of_an_activity_shows_no_history(activity, secretariat):
    services.activity_update(activity=activity, actor=secretariat, title="Darknet markets")
    public = client_for(None).get(f"/en/activities/{activity.reference}/")
    assert public.status_code == 200
    body = public.content.decode()
    assert "History" not in body and "secretariat" not in body
    member = client_for(secretariat).get(f"/en/activities/{activity.reference}/").content.decode()
    assert 'data-testid="history"' in member
    assert "Title: Darknet drug markets → Darknet markets" in member


def test_the_activity_page_shows_the_history_newest_first_in_words(activity, secretariat):
    services.activity_update(activity=activity, actor=secretariat, title="Darknet markets")
    services.activity_update(
        activity=activity,
        actor=secretariat,
        human_rights_considerations="Stated.",
        gender_considerations="Stated.",
    )
    services.activity_change_status(
        activity=activity, actor=secretariat, status="ongoing", comment="Kick-off"
    )
    html = client_for(secretariat).get(f"/en/activities/{activity.reference}/").content.decode()
    started = html.index("status changed (Planned → Ongoing)")
    renamed = html.index("Title: Darknet drug markets → Darknet markets")
    created = html.index(": created")
    assert started < renamed < created
    assert "Kick-off" in html


def test_the_annual_programme_page_shows_its_history_in_words(secretariat, programme, activity):
    from programme.models import Meeting

    ap = services.annual_programme_create(
        actor=secretariat, work_programme=programme, year=2016, budget_ceiling=D("50000")
    )
    services.annual_programme_add_activity(
        annual_programme=ap, activity=activity, actor=secretariat
    )
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.PC_PLENARY, number=77, date=dt.date(2015, 12, 1)
    )
    services.annual_programme_adopt(annual_programme=ap, actor=secretariat, meeting=meeting)
    html = client_for(secretariat).get("/en/annual-programmes/2016/").content.decode()
    adopted = html.index("adopted (Draft → Adopted)")
    added = html.index(f"{activity.reference}: — → 25,000.00")
    assert adopted < added
    assert "Budget ceiling (EUR): — → 50,000.00" in html
