"""REST clients sync instead of downloading again: a mirror kept by the changes feed
ends equal to a fresh download, whoever reads; conditional requests answer 304."""

import datetime as dt

import pytest
from django.utils import timezone

from activities import services as activity_services
from activities.models import Activity, AnnualProgramme
from pompidou.models import Tombstone
from programme.models import Meeting
from proposals.models import Proposal
from tests.activities.api_helpers import LIST, adopted_programme, make, payload
from tests.activities.factories import AnnualProgrammeEntryFactory, AnnualProgrammeFactory
from tests.api.sync_client import Mirror
from tests.conftest import answer, client_as
from tests.proposals.factories import ProposalFactory

PROPOSALS = "/api/v1/proposals/"


@pytest.fixture
def api():
    """An anonymous REST client."""
    return client_as(None)


@pytest.fixture(autouse=True)
def _no_safety_margin(settings):
    # The margin covers clocks of different machines; here there is one clock, and a
    # change made a moment ago must already be in the feed.
    settings.SYNC_SAFETY_MARGIN_SECONDS = 0


def _activities(programme, states):
    """Public: an ad hoc one, one in an adopted programme; not public: one in a draft
    programme; and two more ad hoc ones (one to be unpublished, one deleted)."""
    adopted = adopted_programme(programme, year=2016)
    draft = AnnualProgrammeFactory(work_programme=programme, year=2017)
    ad_hoc = make(programme, states, adoption_route=Activity.Route.AD_HOC, title="Ad hoc")
    in_adopted = make(programme, states, adoption_route=Activity.Route.ANNUAL)
    AnnualProgrammeEntryFactory(annual_programme=adopted, activity=in_adopted)
    in_draft = make(
        programme,
        states,
        adoption_route=Activity.Route.ANNUAL,
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 10, 1),
    )
    AnnualProgrammeEntryFactory(annual_programme=draft, activity=in_draft)
    leaving = make(programme, states, adoption_route=Activity.Route.AD_HOC)
    doomed = make(programme, states, adoption_route=Activity.Route.AD_HOC)
    return {"ad_hoc": ad_hoc, "draft": draft, "leaving": leaving, "doomed": doomed}


def _change_activities(programme, secretariat, made):
    staff = client_as(secretariat)
    # created
    answer(staff.post(LIST, payload(programme), format="json"), 201)
    # updated, a field of its own and a related list only (its states)
    ad_hoc = made["ad_hoc"].reference
    answer(staff.patch(f"{LIST}{ad_hoc}/", {"title": "Renamed"}, format="json"))
    answer(staff.patch(f"{LIST}{ad_hoc}/", {"participating_states": ["IT"]}, format="json"))
    activity_services.milestone_add(
        activity=made["ad_hoc"], actor=secretariat, title="Kick-off", due_date=dt.date(2016, 5, 1)
    )
    # out of the public: an annual-route activity stands in no adopted programme
    leaving = made["leaving"].reference
    answer(staff.patch(f"{LIST}{leaving}/", {"adoption_route": "annual"}, format="json"))
    # into the public: its annual programme is adopted
    meeting = Meeting.objects.create(kind="pc_plenary", number=81, date=dt.date(2016, 12, 1))
    activity_services.annual_programme_adopt(
        annual_programme=made["draft"], actor=secretariat, meeting=meeting
    )
    # deleted, as the back office does
    Activity.objects.filter(pk=made["doomed"].pk).delete()


@pytest.mark.parametrize("reader", ["anonymous", "secretariat"])
def test_a_mirror_of_activities_kept_by_the_feed_equals_a_fresh_download(
    reader, programme, states, secretariat
):
    made = _activities(programme, states)
    client = client_as(None if reader == "anonymous" else secretariat)
    mirror = Mirror(client, LIST, "reference")
    mirror.full()
    before = set(mirror.rows)

    _change_activities(programme, secretariat, made)
    changes = mirror.sync()

    fresh = Mirror(client, LIST, "reference").download()
    assert mirror.rows == fresh
    assert fresh.keys() != before  # the changes did change what this reader sees
    assert made["doomed"].reference not in fresh
    kinds = {(c["key"], c["change"]) for c in changes}
    assert (made["doomed"].reference, "delete") in kinds
    if reader == "anonymous":
        assert (made["leaving"].reference, "delete") in kinds
        assert made["leaving"].reference not in fresh
    else:
        assert fresh[made["leaving"].reference]["adoption_route"] == "annual"
    assert fresh[made["ad_hoc"].reference]["title"] == "Renamed"
    assert fresh[made["ad_hoc"].reference]["milestones"][-1]["title"] == "Kick-off"


def test_a_mirror_kept_with_updated_since_fetches_only_the_changed_rows(
    api, programme, states, secretariat
):
    made = _activities(programme, states)
    first = api.get(LIST)
    since = first["Sync-Watermark"]
    answer(
        client_as(secretariat).patch(
            f"{LIST}{made['ad_hoc'].reference}/", {"title": "Renamed"}, format="json"
        )
    )
    response = api.get(LIST, {"updated_since": since})
    changed = answer(response)
    assert [row["reference"] for row in changed["results"]] == [made["ad_hoc"].reference]
    # and from the watermark of that answer on, nothing more
    assert answer(api.get(LIST, {"updated_since": response["Sync-Watermark"]}))["results"] == []


@pytest.mark.parametrize(
    "value", ["yesterday", "2026-03-01T09:30:00", "2026-13-01T00:00:00+00:00", " "]
)
def test_a_bad_updated_since_is_a_400_naming_it(api, programme, value):
    body = answer(api.get(LIST, {"updated_since": value or "x"}), 400)
    assert "updated_since" in body


def test_proposals_mirrors_of_the_secretariat_and_a_correspondent_stay_equal(
    programme, states, secretariat, pc_de
):
    french = ProposalFactory(work_programme=programme, member_state=states["FR"])
    german = ProposalFactory(work_programme=programme, member_state=states["DE"], proposer=pc_de)
    draft = ProposalFactory(
        work_programme=programme, member_state=states["FR"], status=Proposal.Status.DRAFT
    )
    doomed = ProposalFactory(work_programme=programme, member_state=states["DE"])
    mirrors = [Mirror(client_as(user), PROPOSALS, "id") for user in (secretariat, pc_de)]
    for mirror in mirrors:
        mirror.full()

    # created, supported (a related row the list shows), withdrawn, newly visible to
    # the other delegation (a draft submitted), deleted
    ProposalFactory(work_programme=programme, member_state=states["IT"])
    answer(client_as(pc_de).post(f"{PROPOSALS}{french.pk}/supports/", {}, format="json"), 201)
    answer(client_as(pc_de).post(f"{PROPOSALS}{german.pk}/withdraw/", {}, format="json"))
    Proposal.objects.filter(pk=draft.pk).update(
        status=Proposal.Status.SUBMITTED, updated_at=timezone.now()
    )
    Proposal.objects.filter(pk=doomed.pk).delete()

    for mirror in mirrors:
        changes = mirror.sync()
        assert mirror.rows == Mirror(mirror.client, PROPOSALS, "id").download()
        assert {"change": "delete", "key": doomed.pk} in [
            {"change": c["change"], "key": c["key"]} for c in changes
        ]
        assert mirror.rows[french.pk]["supports"] == ["DE"]
        assert mirror.rows[german.pk]["status"] == "withdrawn"
        assert draft.pk in mirror.rows
    assert Tombstone.objects.filter(object_id=german.pk, reason="withdrawn").exists()


# --- conditional requests ------------------------------------------------------------


def _settle(*models):
    """Date every row an hour back: its change is then long past the watermark."""
    for model in models:
        model.objects.update(updated_at=timezone.now() - dt.timedelta(hours=1))


def test_a_list_unchanged_answers_304_and_a_change_a_new_etag(api, programme, states, secretariat):
    made = _activities(programme, states)
    _settle(Activity)
    first = api.get(LIST)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = api.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # by date as well, once the second it names is past
    since = first["Last-Modified"]
    assert api.get(LIST, HTTP_IF_MODIFIED_SINCE=since).status_code == 304

    activity_services.activity_update(activity=made["ad_hoc"], actor=secretariat, title="New")
    changed = api.get(LIST, HTTP_IF_NONE_MATCH=etag, HTTP_IF_MODIFIED_SINCE=since)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_deletion_changes_the_lists_etag_and_last_modified(api, programme, states):
    made = _activities(programme, states)
    _settle(Activity)
    first = api.get(LIST)
    Activity.objects.filter(pk=made["doomed"].pk).delete()
    Tombstone.objects.update(at=timezone.now() - dt.timedelta(minutes=30))
    after = api.get(LIST, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert after["Last-Modified"] != first["Last-Modified"]


def test_readers_who_see_different_activities_never_share_an_etag(
    api, programme, states, secretariat
):
    _activities(programme, states)
    _settle(Activity)
    public = api.get(LIST)
    staff = client_as(secretariat)
    own = staff.get(LIST)
    assert public.json()["count"] != own.json()["count"]
    assert public["ETag"] != own["ETag"]
    # the visitor's tag does not stand for the Secretariat's list
    assert staff.get(LIST, HTTP_IF_NONE_MATCH=public["ETag"]).status_code == 200
    for header in ("Accept-Language", "Authorization", "Cookie"):
        assert header in own["Vary"]
    assert "private" in own["Cache-Control"]


def test_a_record_unchanged_answers_304_and_an_unseen_one_404(api, programme, states):
    made = _activities(programme, states)
    _settle(Activity)
    url = f"{LIST}{made['ad_hoc'].reference}/"
    first = api.get(url)
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    hidden = Activity.objects.get(annual_entries__annual_programme=made["draft"])
    assert api.get(f"{LIST}{hidden.reference}/", HTTP_IF_NONE_MATCH="*").status_code == 404


def test_a_change_not_yet_past_the_watermark_gives_an_etag_that_matches_nothing(
    api, programme, states, settings
):
    _activities(programme, states)
    settings.SYNC_SAFETY_MARGIN_SECONDS = 3600  # every change is still "recent"
    first = api.get(LIST)
    assert "Last-Modified" not in first
    assert api.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


# --- the feed's tokens ---------------------------------------------------------------


def test_a_token_older_than_the_tombstones_retention_is_410(api, programme, settings):
    settings.SYNC_TOMBSTONE_RETENTION_DAYS = 30
    old = (timezone.now() - dt.timedelta(days=31)).isoformat()
    body = answer(api.get(f"{LIST}changes/", {"since": old}), 410)
    assert "download the list again" in body["detail"]


@pytest.mark.parametrize("since", ["not-a-token", "MjAyNg", "2026-03-01"])
def test_a_bad_token_is_a_400_naming_since(api, programme, since):
    assert "since" in answer(api.get(f"{LIST}changes/", {"since": since}), 400)


def test_the_feed_from_the_beginning_lists_every_record_once(api, programme, states):
    _activities(programme, states)
    mirror = Mirror(api, LIST, "reference")
    mirror.token = None
    changes = mirror.sync(limit=1)
    assert mirror.rows == Mirror(api, LIST, "reference").download()
    assert len(changes) == len(mirror.rows) == Activity.objects.public().count()


def test_tombstones_past_their_retention_are_purged(programme, states, settings):
    from pompidou.tombstones import purge

    settings.SYNC_TOMBSTONE_RETENTION_DAYS = 30
    made = _activities(programme, states)
    Activity.objects.filter(pk=made["doomed"].pk).delete()
    Tombstone.objects.update(at=timezone.now() - dt.timedelta(days=31))
    Activity.objects.filter(pk=made["leaving"].pk).delete()
    assert purge() == 1
    assert list(Tombstone.objects.values_list("object_id", flat=True)) == [made["leaving"].pk]


def test_an_annual_programmes_record_moves_when_its_entries_change(programme, states, secretariat):
    made = _activities(programme, states)
    draft = AnnualProgramme.objects.get(pk=made["draft"].pk)
    _settle(AnnualProgramme)
    activity = make(programme, states, start_date=dt.date(2017, 2, 1), end_date=dt.date(2017, 6, 1))
    activity_services.annual_programme_add_activity(
        annual_programme=draft, activity=activity, actor=secretariat
    )
    draft.refresh_from_db()
    assert draft.updated_at > timezone.now() - dt.timedelta(minutes=1)


def _moved(record) -> bool:
    before = record.updated_at
    record.refresh_from_db()
    return record.updated_at > before


def test_a_meetings_record_moves_when_its_agenda_changes(secretariat):
    from meetings import services as meeting_services

    meeting = Meeting.objects.create(kind="pc_plenary", number=90, date=dt.date(2018, 6, 1))
    _settle(Meeting)
    meeting.refresh_from_db()
    meeting_services.agenda_add_item(
        meeting=meeting, kind="free", actor=secretariat, title="Any other business"
    )
    assert _moved(meeting)


def test_an_indicators_record_moves_with_a_new_measurement(programme, states, secretariat):
    from evaluation import services as evaluation_services
    from evaluation.models import Indicator
    from tests.evaluation.factories import IndicatorFactory

    indicator = IndicatorFactory(activity=make(programme, states))
    _settle(Indicator)
    indicator.refresh_from_db()
    evaluation_services.measurement_add(
        indicator=indicator, actor=secretariat, date=dt.date(2016, 6, 1), value="12"
    )
    assert _moved(indicator)


def test_an_experts_mirror_of_feedback_requests_drops_one_once_closed(
    programme, states, secretariat, expert
):
    from evaluation import services as evaluation_services
    from tests.evaluation.factories import open_request

    activity = make(programme, states, adoption_route=Activity.Route.AD_HOC)
    kept = open_request(activity, secretariat)
    closing = open_request(activity, secretariat, questions="Was it well run?")
    mirror = Mirror(client_as(expert), "/api/v1/feedback-requests/", "id")
    mirror.full()
    assert set(mirror.rows) == {kept.pk, closing.pk}

    evaluation_services.feedback_request_close(request=closing, actor=secretariat)
    changes = mirror.sync()

    assert [(c["change"], c["key"], c["reason"]) for c in changes] == [
        ("delete", closing.pk, "closed")
    ]
    assert mirror.rows == Mirror(mirror.client, "/api/v1/feedback-requests/", "id").download()
