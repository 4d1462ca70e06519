"""My data: the registry covers every user field, and the download (JSON, page, API)
holds everything about the person and nothing about anyone else."""

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.personal_data import (
    REGISTRY,
    Part,
    collect,
    registered_user_fields,
    user_fields_in_models,
)
from tests.accounts.conftest import EMAIL, NAME
from tests.conftest import answer, client_as, client_for, token_client


def _section(data, model):
    return next(s for s in data["sections"] if s["model"] == model)["rows"]


def test_every_user_field_of_every_model_is_in_the_registry(db):
    missing = user_fields_in_models() - registered_user_fields()
    assert missing == set(), f"add these to accounts.personal_data.REGISTRY: {missing}"
    assert registered_user_fields() - user_fields_in_models() == set()


def test_the_registry_check_sees_a_user_field_left_out(db, monkeypatch):
    from accounts import personal_data

    monkeypatch.setattr(
        personal_data, "REGISTRY", tuple(p for p in REGISTRY if p.model != "proposals.BureauVote")
    )
    assert ("proposals.BureauVote", "voter") in (
        personal_data.user_fields_in_models() - personal_data.registered_user_fields()
    )


def test_the_data_holds_everything_about_the_delegate(world, delegate):
    data = collect(delegate)
    assert data["account"]["email"] == EMAIL
    assert data["account"]["member_state"] == "NO"
    assert "bureau" in data["account"]["roles"]
    assert [r["title"] for r in _section(data, "proposals.Proposal")] == [world["own"].title]
    assert [r["proposal"] for r in _section(data, "proposals.Support")] == [str(world["adopted"])]
    assessments = _section(data, "proposals.Assessment")
    assert len(assessments) == 1 and assessments[0]["status"] == "submitted"
    assert len(assessments[0]["scores"]) == 7
    assert [r["vote"] for r in _section(data, "proposals.BureauVote")] == ["approve"]
    comments = _section(data, "proposals.Comment")
    assert len(comments) == 2  # the one written, the reply that mentions her
    assert [r["email"] for r in _section(data, "evaluation.FeedbackInvitation")] == [EMAIL]
    assert len(_section(data, "evaluation.FeedbackRequest")) == 1
    assert [r["attendees"] for r in _section(data, "meetings.Attendance")] == [
        f"{NAME}\nOla Nordmann"
    ]
    kinds = {r["kind"] for r in _section(data, "pompidou.AuditEvent")}
    assert {"login", "support_added", "assessment_submitted", "vote"} <= kinds
    assert _section(data, "pompidou.Notice")  # the mention, the feedback request


def test_the_data_holds_no_secret_and_nothing_of_another_person(world, delegate, pc_de):
    token = Token.objects.create(user=delegate)
    text = json.dumps(collect(delegate))
    assert token.key not in text
    assert delegate.password not in text
    assert "pc_de" not in text.replace("Germany", "")  # pc_de's own support is not hers
    assert _section(collect(delegate), "authtoken.Token")[0].keys() == {"user", "created"}


def test_a_person_with_nothing_has_empty_sections(outsider):
    data = collect(outsider)
    assert all(section["rows"] == [] for section in data["sections"])


def test_an_invitation_part_finds_nothing_without_an_email(outsider):
    part = Part("evaluation.FeedbackInvitation", match=lambda user: None)
    assert list(part.rows(outsider)) == []


def test_the_delegate_downloads_the_json_file(world, delegate):
    response = client_for(delegate).get(reverse("accounts:my_data_json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert data["account"]["username"] == "bureau_chair"
    assert _section(data, "proposals.Proposal")[0]["title"] == world["own"].title


def test_the_readable_page_shows_the_same_data(world, delegate):
    response = client_for(delegate).get(reverse("accounts:my_data"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world["own"].title in html
    assert EMAIL in html
    assert "Norway will host the first session." in html
    assert reverse("accounts:my_data_json") in html


@pytest.mark.parametrize("name", ["accounts:my_data", "accounts:my_data_json"])
def test_my_data_needs_a_login(db, name):
    response = client_for(None).get(reverse(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_api_answers_my_data_and_refuses_anonymous(world, delegate):
    data = answer(token_client(delegate).get("/api/v1/me/personal-data/"))
    assert data["account"]["email"] == EMAIL
    assert _section(data, "proposals.BureauVote")[0]["vote"] == "approve"
    assert client_as(None).get("/api/v1/me/personal-data/").status_code == 401


def test_the_menu_links_to_my_data(delegate):
    html = client_for(delegate).get(reverse("inbox")).content.decode()
    assert reverse("accounts:my_data") in html


def test_the_privacy_page_is_public_in_both_languages_with_the_settings(db, settings):
    settings.FEEDBACK_LINK_RETENTION_DAYS = 45
    settings.LOGIN_RECORD_RETENTION_DAYS = 120
    settings.PRIVACY_CONTACT_EMAIL = "privacy@coe.example"
    english = client_for(None).get("/en/privacy/")
    assert english.status_code == 200
    html = english.content.decode()
    assert "45 days after the request" in html
    assert "Deleted after 120 days." in html
    assert "privacy@coe.example" in html
    french = client_for(None).get("/fr/privacy/")
    assert french.status_code == 200 and 'lang="fr"' in french.content.decode()


def test_the_footer_links_to_the_privacy_page(db):
    html = client_for(None).get("/en/programme/").content.decode()
    assert 'href="/en/privacy/"' in html
