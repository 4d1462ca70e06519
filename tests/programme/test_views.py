import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from programme.models import WorkProgramme
from tests.conftest import PASSWORD, client_for
from tests.programme.factories import (
    PermanentFormatFactory,
    PriorityAimFactory,
    ThematicPriorityFactory,
    WorkProgrammeFactory,
)


def test_programme_page_is_public_and_reads_like_the_document(client, programme):
    response = client.get("/en/programme/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Pompidou Group Work Programme 2015–2018" in html
    assert "P-PG/MinConf (2014) 4" in html
    for anchor in (
        "aims",
        "criteria",
        "priorities",
        "priority-31",
        "priority-34",
        "formats",
        "format-41",
        "format-48",
        "format-49",
    ):
        assert f'id="{anchor}"' in html, anchor
    assert "Bringing human rights to the forefront of drug policy" in html
    assert "Airports Group" in html
    assert "Realistic in terms of achieving expected results in time" in html


def test_an_address_without_language_redirects_to_the_visitors_language(client, programme):
    response = client.get("/programme/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302 and response["Location"] == "/fr/programme/"


def test_programme_page_in_french_has_french_labels(client, programme):
    html = client.get("/fr/programme/").content.decode()
    assert '<html lang="fr">' in html
    assert "Priorités thématiques" in html
    assert "Critères d’adoption" in html or "Critères d'adoption" in html
    # The date of adoption is written the French way.
    assert "20 novembre 2014" in html


def test_other_programmes_have_their_own_page_and_drafts_stay_private(
    client, programme, secretariat
):
    closed = WorkProgrammeFactory(
        status=WorkProgramme.Status.CLOSED, title="WP 2011–2014", first_year=2011, last_year=2014
    )
    draft = WorkProgrammeFactory(status=WorkProgramme.Status.DRAFT, title="WP 2019–2022")
    assert client.get(f"/en/programme/{closed.pk}/").status_code == 200
    assert "WP 2011–2014" in client.get("/en/programme/").content.decode()
    assert client.get(f"/en/programme/{draft.pk}/").status_code == 404
    assert client_for(secretariat).get(f"/en/programme/{draft.pk}/").status_code == 200


def test_priority_and_format_pages_show_an_honest_empty_state(client, programme):
    priority = programme.priorities.get(number="3.4")
    fmt = programme.formats.get(number="4.5")
    for url in (
        reverse("programme:priority", args=[priority.pk]),
        reverse("programme:format", args=[fmt.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "No activities are recorded here yet." in response.content.decode()


def test_programme_page_answers_in_a_constant_number_of_queries(
    client, programme, django_assert_num_queries
):
    for size in (1, 15):
        for _ in range(size):
            priority = ThematicPriorityFactory(work_programme=programme)
            PriorityAimFactory.create_batch(3, priority=priority)
            PermanentFormatFactory(work_programme=programme)
        # programme in force; its aims, priorities, their aims, formats, their aims,
        # objectives, results, criteria; the other programmes (an anonymous visitor
        # without a session costs none)
        with django_assert_num_queries(10):
            assert client.get("/en/programme/").status_code == 200


def test_pages_other_than_the_public_ones_need_a_login(client, programme):
    for url in ("/en/", "/en/bureau/", "/en/accounts/password_change/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/en/accounts/login/?next="), url


def test_login_then_logout(client, programme, pc_fr):
    response = client.post("/en/accounts/login/", {"username": "pc_fr", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/en/"
    dashboard = client.get("/en/")
    assert "Permanent Correspondent" in dashboard.content.decode()
    logged_out = client.post("/en/accounts/logout/")
    assert "You are logged out" in logged_out.content.decode()
    assert client.get("/en/").status_code == 302


def test_wrong_password_is_a_form_error_not_a_crash(client, pc_fr):
    response = client.post("/en/accounts/login/", {"username": "pc_fr", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_reset_sends_a_one_time_link(client, pc_fr):
    pc_fr.email = "pc@fr.example"
    pc_fr.save()
    response = client.post("/en/accounts/password_reset/", {"email": "pc@fr.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/en/accounts/reset/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("persona", "sections"),
    [
        ("secretariat", ["Secretariat"]),
        ("pc_fr", ["Permanent Correspondent"]),
        ("bureau_chair", ["Bureau", "Permanent Correspondent"]),
        ("expert", ["Expert"]),
        ("outsider", ["The work programme"]),
    ],
)
def test_dashboard_shows_each_role_its_sections(personas, programme, persona, sections):
    from portal.dashboard import sections_for

    with translation.override("en"):
        titles = [s.title for s in sections_for(personas[persona])]
    assert titles == sections
    response = client_for(personas[persona]).get("/en/")
    assert response.status_code == 200


def test_navigation_shows_the_back_office_only_to_the_secretariat(personas, programme):
    for name, user in personas.items():
        html = client_for(user).get("/en/programme/").content.decode()
        assert ("Back office" in html) == (name == "secretariat"), name


def test_bureau_page_lists_the_current_mandates(bureau_chair, pc_fr, programme):
    html = client_for(pc_fr).get("/en/bureau/").content.decode()
    assert "Chair" in html and "Norway" in html


def test_session_cookie_is_httponly_lax_and_expires_when_idle(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
