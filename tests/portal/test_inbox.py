"""The inbox: a person's own notices, newest first, read and unread; the unread count
in the navigation (one query); how each person hears of each kind, saved and reopened."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from pompidou import notices
from pompidou.models import Notice, NoticePreference
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _notice(user, title="Proposal submitted: %(title)s", url="/en/proposals/1/", **params):
    (notice,) = notices.notify(
        [user],
        "proposal_submitted",
        title=title,
        params={"title": "Cannabis seminar", **params},
        url=url,
    )
    return notice


def test_the_inbox_lists_only_ones_own_notices_newest_first_unread_marked(pc_fr, pc_de):
    first, second = _notice(pc_fr), _notice(pc_fr)
    _notice(pc_de)
    Notice.objects.filter(pk=first.pk).update(read_at=first.created_at)
    page = client_for(pc_fr).get(reverse("inbox"))
    assert page.status_code == 200
    listed = list(page.context["page"].object_list)
    assert [n.pk for n in listed] == [second.pk, first.pk]
    html = page.content.decode()
    assert html.count('data-testid="notice"') == 2 and html.count(">unread</span>") == 1
    unread = client_for(pc_fr).get(reverse("inbox"), {"show": "unread"})
    assert [n.pk for n in unread.context["page"].object_list] == [second.pk]


def test_an_empty_inbox_says_so_and_a_bad_filter_is_named(pc_fr):
    page = client_for(pc_fr).get(reverse("inbox"), {"show": "everything", "page": "x"})
    assert page.status_code == 200
    assert "Unknown filter: all notices are shown." in page.content.decode()
    assert 'data-testid="inbox-empty"' in page.content.decode()


def test_the_inbox_pages_twenty_notices_at_a_time(pc_fr):
    for _ in range(21):
        _notice(pc_fr)
    second = client_for(pc_fr).get(reverse("inbox"), {"page": 2})
    assert len(second.context["page"].object_list) == 1
    assert "Page 2 of 2" in second.content.decode()


def test_opening_a_notice_marks_it_read_and_goes_to_its_page_in_the_readers_language(pc_fr):
    notice = _notice(pc_fr)
    with translation.override("fr"):
        address = reverse("notice_open", args=[notice.pk])
    response = client_for(pc_fr).get(address)
    assert response.status_code == 302 and response["Location"] == "/fr/proposals/1/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    read_at = notice.read_at
    client_for(pc_fr).get(address)  # again: nothing changes
    notice.refresh_from_db()
    assert notice.read_at == read_at


def test_no_one_opens_or_marks_anothers_notice(pc_fr, pc_de):
    notice = _notice(pc_de)
    assert client_for(pc_fr).get(reverse("notice_open", args=[notice.pk])).status_code == 404
    assert client_for(pc_fr).post(reverse("notice_read", args=[notice.pk])).status_code == 404
    client_for(pc_fr).post(reverse("notices_read_all"))
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_notice_pointing_off_the_portal_leads_to_the_inbox(pc_fr):
    notice = _notice(pc_fr, url="https://evil.example/x")
    response = client_for(pc_fr).get(reverse("notice_open", args=[notice.pk]))
    assert response["Location"] == reverse("inbox")


def test_mark_as_read_and_mark_all_as_read_are_posts_that_return_to_the_inbox(pc_fr):
    one, two, three = _notice(pc_fr), _notice(pc_fr), _notice(pc_fr)
    client = client_for(pc_fr)
    assert client.get(reverse("notice_read", args=[one.pk])).status_code == 405
    back = reverse("inbox") + "?show=unread"
    response = client.post(reverse("notice_read", args=[one.pk]), {"next": back})
    assert response["Location"] == back
    assert notices.unread_count(pc_fr) == 2
    response = client.post(reverse("notices_read_all"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("inbox")
    assert notices.unread_count(pc_fr) == 0
    assert Notice.objects.filter(pk__in=[two.pk, three.pk], read_at__isnull=False).count() == 2


def test_the_navigation_shows_the_unread_count_for_people_not_for_visitors(pc_fr, client):
    _notice(pc_fr)
    _notice(pc_fr)
    html = client_for(pc_fr).get(reverse("programme:current")).content.decode()
    assert 'data-testid="unread-count">2</span>' in html
    assert '<span class="visually-hidden">: 2 unread notices</span>' in html
    anonymous = client.get(reverse("programme:current")).content.decode()
    assert 'data-testid="nav-inbox"' not in anonymous


@pytest.mark.parametrize("count", [1, 30])
def test_the_unread_count_is_one_query_whatever_the_number(pc_fr, count):
    from portal.context_processors import portal

    for _ in range(count):
        _notice(pc_fr)

    class Request:
        user = pc_fr
        resolver_match = None

    context = portal(Request())  # type: ignore[arg-type]
    with CaptureQueriesContext(connection) as queries:
        # SELECT COUNT(*) of the unread notices; asked twice by the page, counted once
        assert context["inbox_unread"]() == count
        assert context["inbox_unread"]() == count
    assert len(queries) == 1


def test_preferences_list_every_kind_are_saved_and_reopen_as_saved(pc_fr):
    client = client_for(pc_fr)
    page = client.get(reverse("notice_preferences"))
    kinds = list(page.context["form"].fields)
    assert kinds == list(notices.KINDS)
    assert {"proposal_submitted", "feedback_requested", "progress_report_due"} <= set(kinds)
    choices = dict.fromkeys(kinds, "immediate")
    choices |= {"proposal_submitted": "digest", "vote_needed": "inbox"}
    response = client.post(reverse("notice_preferences"), choices)
    assert response.status_code == 302
    reopened = client.get(reverse("notice_preferences")).context["form"]
    assert {name: reopened[name].value() for name in kinds} == choices
    assert notices.delivery_for(pc_fr, "proposal_submitted") == "digest"


def test_a_bad_preference_is_refused_with_a_message_and_nothing_changes(pc_fr):
    NoticePreference.objects.create(user=pc_fr, kind="proposal_submitted", delivery="digest")
    choices = dict.fromkeys(notices.KINDS, "inbox") | {"proposal_submitted": "pigeon"}
    response = client_for(pc_fr).post(reverse("notice_preferences"), choices)
    assert response.status_code == 400
    assert "Choose an e-mail at once, a daily digest or the inbox only." in (
        response.content.decode()
    )
    assert list(NoticePreference.objects.values_list("kind", "delivery")) == [
        ("proposal_submitted", "digest")
    ]


def test_the_service_refuses_an_unknown_kind_and_saves_nothing(pc_fr):
    from pompidou.errors import DomainError

    with pytest.raises(DomainError):
        notices.preferences_set(
            user=pc_fr, choices={"proposal_submitted": "inbox", "no_such_kind": "inbox"}
        )
    assert not NoticePreference.objects.exists()


def test_a_notice_shows_its_labels_and_dates_in_the_readers_language(pc_fr):
    import datetime as dt

    from proposals.models import Proposal

    (notice,) = notices.notify(
        [pc_fr],
        "proposal_decided",
        title=gettext_noop("Decision on the proposal: %(title)s"),
        body=gettext_noop("Your feedback on %(title)s is expected by %(day)s."),
        params={
            "title": Proposal.Status.ADOPTED.label,
            "day": dt.date(2016, 3, 5),
        },
    )
    notice.refresh_from_db()
    with translation.override("en"):
        assert notice.title_text == "Decision on the proposal: Adopted"
        assert notice.body_text.endswith("by 5 March 2016.")
    with translation.override("fr"):
        assert "5 mars 2016" in notice.body_text
        assert "Adopted" not in notice.title_text


def test_the_api_lists_only_ones_own_notices_and_marks_them_read(pc_fr, pc_de):
    from tests.conftest import answer, token_client

    mine, theirs = _notice(pc_fr), _notice(pc_de)
    client = token_client(pc_fr)
    listed = answer(client.get("/api/v1/notices/"))
    assert [n["id"] for n in listed["results"]] == [mine.pk]
    assert listed["results"][0]["title"] == "Proposal submitted: Cannabis seminar"
    assert listed["results"][0]["read"] is False
    assert client.post(f"/api/v1/notices/{theirs.pk}/read/").status_code == 404
    assert answer(client.post(f"/api/v1/notices/{mine.pk}/read/"))["read"] is True
    assert answer(client.get("/api/v1/notices/", {"unread": "true"}))["results"] == []
    _notice(pc_fr)
    assert answer(client.post("/api/v1/notices/read-all/")) == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client_for(None).get("/api/v1/notices/").status_code in (401, 403)


def test_the_inbox_shows_what_is_due_this_week_as_the_dashboard_does(
    monkeypatch, django_user_model
):
    import datetime as dt

    from portal import inbox as inbox_views

    user = django_user_model.objects.create_user("due-reader", "d@example.org", "pw-x-123456")
    due = [
        {
            "kind": "assessment",
            "kind_label": "Assessment due",
            "reference": "PR-2018-0001",
            "title": "Cannabis seminar",
            "due": dt.date(2018, 5, 3),
            "url": "/en/proposals/1/",
        }
    ]
    monkeypatch.setattr(inbox_views, "due_this_week", lambda u: due if u == user else [])
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = client.get("/en/inbox/").content.decode()
    section = page[page.index('data-testid="due-this-week"') :]
    assert "PR-2018-0001 Cannabis seminar" in section and 'href="/en/proposals/1/"' in section
