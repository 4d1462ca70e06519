"""The authoring pages through the test client: who reaches them, forms that come
back with their errors (400) and change nothing, the frozen adopted programme, the
comparison and the consultation."""

import re

import pytest

from programme import authoring
from programme.models import WorkProgramme
from tests.conftest import client_for
from tests.programme.test_authoring import REF, make_draft


@pytest.fixture
def draft(programme, secretariat):
    return make_draft(programme, secretariat, title_fr="")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat", 200),
        ("pc_fr", 403),
        ("bureau_chair", 403),
        ("expert", 403),
    ],
)
def test_the_authoring_pages_are_the_secretariats(personas, programme, persona, status):
    client = client_for(personas[persona])
    assert client.get("/en/programme/authoring/").status_code == status
    assert client.get("/en/programme/authoring/new/").status_code == status
    assert client.get(f"/en/programme/{programme.pk}/versions/").status_code == status


def test_anonymous_is_sent_to_log_in(programme):
    response = client_for(None).get("/en/programme/authoring/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_drafting_through_the_form(programme, secretariat):
    client = client_for(secretariat)
    page = client.get("/en/programme/authoring/new/").content.decode()
    assert 'name="first_year" value="2019"' in page and 'name="last_year" value="2022"' in page
    bad = client.post(
        "/en/programme/authoring/new/",
        {
            "source": programme.pk,
            "reference": programme.reference,
            "title_en": "WP",
            "first_year": 2019,
            "last_year": 2018,
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Another work programme has the reference" in html
    assert "The last year comes after the first year." in html
    assert WorkProgramme.objects.count() == 1
    ok = client.post(
        "/en/programme/authoring/new/",
        {
            "source": programme.pk,
            "reference": REF,
            "title_en": "WP 2019",
            "first_year": 2019,
            "last_year": 2022,
        },
    )
    wp = WorkProgramme.objects.get(reference=REF)
    assert ok.status_code == 302 and ok["Location"] == f"/en/programme/{wp.pk}/edit/"
    assert wp.priorities.count() == 4


def test_the_edit_page_lists_the_entries_in_order(draft, secretariat):
    html = client_for(secretariat).get(f"/en/programme/{draft.pk}/edit/").content.decode()
    numbers = re.findall(r'<span class="doc-number">(3\.\d)</span>', html)
    assert numbers == ["3.1", "3.2", "3.3", "3.4"]
    assert "Open consultation" in html and "Edit the title and texts" in html


def test_a_criterion_form_gives_its_weight_back_and_refuses_a_bad_one(draft, secretariat):
    client = client_for(secretariat)
    c = draft.criteria.get(number=3)
    url = f"/en/programme/{draft.pk}/edit/criterion/{c.pk}/"
    form = client.get(url).content.decode()
    assert 'name="weight" value="1"' in form
    data = {
        "number": "3",
        "weight": "0",
        "title_en": c.title_en,
        "title_fr": c.title_fr or "",
        "guidance_en": "",
        "guidance_fr": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "The weight is above 0" in response.content.decode()
    data["weight"] = "2.5"
    assert client.post(url, data).status_code == 302
    assert 'name="weight" value="2.5"' in client.get(url).content.decode()


def test_move_buttons_and_unknown_kinds(draft, secretariat):
    client = client_for(secretariat)
    p = draft.priorities.get(number="3.2")
    client.post(f"/en/programme/{draft.pk}/edit/priority/{p.pk}/change/", {"action": "up"})
    p.refresh_from_db()
    assert p.number == "3.1"
    assert client.get(f"/en/programme/{draft.pk}/edit/nonsense/new/").status_code == 404
    response = client.post(
        f"/en/programme/{draft.pk}/edit/priority/{p.pk}/change/", {"action": "up"}, follow=True
    )
    assert "already at that end" in response.content.decode()


def test_an_adopted_programme_reads_frozen(programme, secretariat):
    client = client_for(secretariat)
    html = client.get(f"/en/programme/{programme.pk}/edit/").content.decode()
    assert "its texts are frozen" in html
    assert "Edit the title and texts" not in html
    response = client.get(f"/en/programme/{programme.pk}/edit/texts/", follow=True)
    assert "its texts are frozen" in response.content.decode()
    c = programme.criteria.get(number=3)
    response = client.post(
        f"/en/programme/{programme.pk}/edit/criterion/{c.pk}/change/", {"action": "remove"}
    )
    assert programme.criteria.filter(pk=c.pk).exists()


def test_visibility_of_a_draft_and_of_a_consultation(draft, secretariat, pc_fr, expert):
    url = f"/en/programme/{draft.pk}/"
    assert client_for(pc_fr).get(url).status_code == 404
    authoring.programme_move(draft, move="consult", by=secretariat)
    assert client_for(pc_fr).get(url).status_code == 200
    assert client_for(None).get(url).status_code == 404
    assert client_for(expert).get(url).status_code == 404
    assert "Read it and comment" in client_for(pc_fr).get(url).content.decode()


def test_commenting_through_the_consultation_page(draft, secretariat, pc_fr):
    authoring.programme_move(draft, move="consult", by=secretariat)
    client = client_for(pc_fr)
    url = f"/en/programme/{draft.pk}/consultation/"
    assert client.get(url).status_code == 200
    empty = client.post(url, {"section": "criteria", "text": "  "})
    assert empty.status_code == 400 and draft.comments.count() == 0
    ok = client.post(url, {"section": "criteria", "text": "Weight 3 <b>higher</b>"})
    assert ok.status_code == 302 and ok["Location"].endswith("#section-criteria")
    html = client_for(secretariat).get(f"/en/programme/{draft.pk}/versions/").content.decode()
    assert "Weight 3 &lt;b&gt;higher&lt;/b&gt;" in html


def test_the_comparison_shows_the_change_escaped(draft, secretariat):
    c = draft.criteria.get(number=3)
    client = client_for(secretariat)
    client.post(
        f"/en/programme/{draft.pk}/edit/criterion/{c.pk}/",
        {
            "number": "3",
            "weight": "2.5",
            "title_en": "Scale <script>",
            "title_fr": "",
            "guidance_en": "",
            "guidance_fr": "",
        },
    )
    html = client.get(f"/en/programme/{draft.pk}/versions/?a=1&b=2").content.decode()
    assert "1 section changed" in html
    assert "weight <del>1</del>" in html and "weight <ins>2.5</ins>" in html
    assert (
        "&lt;script&gt;" in html
        and "<script>" not in html.split("comparison")[1].split("</section>")[0]
    )
    against = client.get(f"/en/programme/{draft.pk}/versions/?a=in_force&b=2").content.decode()
    assert "Years: <del>2015–2018</del>" in against
    assert client.get(f"/en/programme/{draft.pk}/versions/?a=99&b=2").status_code == 400


def test_the_pages_read_in_french(draft, secretariat, pc_fr):
    client = client_for(secretariat)
    for path in ("edit/", "edit/texts/", "versions/?a=1&b=1"):
        response = client.get(f"/fr/programme/{draft.pk}/{path}")
        assert response.status_code == 200, path
        assert '<html lang="fr">' in response.content.decode()
    authoring.programme_move(draft, move="consult", by=secretariat)
    assert client_for(pc_fr).get(f"/fr/programme/{draft.pk}/consultation/").status_code == 200
