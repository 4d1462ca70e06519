"""The Secretariat's erasure pages and API: who reaches them, the confirmation step,
clear refusals, bad input that changes nothing."""

import pytest
from django.urls import reverse

from accounts import erasure
from tests.accounts.conftest import EMAIL, USERNAME
from tests.conftest import answer, client_as, client_for

ROLES = ["pc_fr", "pc_de", "bureau_chair", "expert", "outsider"]


@pytest.mark.parametrize("persona", ROLES)
def test_only_the_secretariat_opens_the_erasure_pages(personas, persona):
    client = client_for(personas[persona])
    target = personas["pc_de"].pk
    assert client.get(reverse("accounts:erase_list")).status_code == 403
    assert client.get(reverse("accounts:erase_account", args=[target])).status_code == 403
    response = client.post(
        reverse("accounts:erase_account", args=[target]), {"reason": "x", "confirm": "on"}
    )
    assert response.status_code == 403
    personas["pc_de"].refresh_from_db()
    assert personas["pc_de"].is_active


def test_anonymous_is_sent_to_log_in(db):
    response = client_for(None).get(reverse("accounts:erase_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_list_finds_an_account_by_email(personas, delegate):
    client = client_for(personas["secretariat"])
    html = client.get(reverse("accounts:erase_list"), {"q": "solberg@"}).content.decode()
    assert EMAIL in html and "pc_de" not in html
    assert reverse("accounts:erase_account", args=[delegate.pk]) in html


def test_the_secretariat_erases_after_confirming(personas, delegate):
    client = client_for(personas["secretariat"])
    url = reverse("accounts:erase_account", args=[delegate.pk])
    page = client.get(url)
    assert page.status_code == 200 and USERNAME in page.content.decode()
    unconfirmed = client.post(url, {"reason": "Asked for it."})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm the erasure." in unconfirmed.content.decode()
    no_reason = client.post(url, {"reason": "", "confirm": "on"})
    assert "Say why the account is erased." in no_reason.content.decode()
    delegate.refresh_from_db()
    assert delegate.is_active and delegate.username == USERNAME
    done = client.post(url, {"reason": "Asked for it.", "confirm": "on"}, follow=True)
    assert done.status_code == 200
    assert erasure.pseudonym(delegate) in done.content.decode()
    delegate.refresh_from_db()
    assert not delegate.is_active and delegate.email == ""
    html = client.get(reverse("accounts:erase_list")).content.decode()
    assert erasure.pseudonym_username(delegate) not in html  # erased: off the list


def test_the_page_says_why_one_cannot_erase_oneself(personas):
    secretariat = personas["secretariat"]
    client = client_for(secretariat)
    url = reverse("accounts:erase_account", args=[secretariat.pk])
    html = client.get(url).content.decode()
    assert "You cannot erase your own account" in html and 'name="confirm"' not in html
    refused = client.post(url, {"reason": "Leaving.", "confirm": "on"})
    assert refused.status_code == 400
    assert "You cannot erase your own account" in refused.content.decode()
    secretariat.refresh_from_db()
    assert secretariat.is_active


def test_an_unknown_account_is_404(personas):
    client = client_for(personas["secretariat"])
    assert client.get(reverse("accounts:erase_account", args=[999999])).status_code == 404


def test_an_invitee_is_erased_from_the_page_and_bad_input_is_named(world, personas):
    client = client_for(personas["secretariat"])
    url = reverse("accounts:erase_list")
    bad = client.post(url, {"email": "not an address", "reason": "", "confirm": ""})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Give a valid e-mail address." in html and "Say why the invitee is erased." in html
    unknown = client.post(url, {"email": "nobody@example.org", "reason": "x", "confirm": "on"})
    assert "No feedback link was sent to this address." in unknown.content.decode()
    done = client.post(
        url, {"email": "kari@example.no", "reason": "Asked.", "confirm": "on"}, follow=True
    )
    assert "1 feedback link no longer names them" in done.content.decode()


def test_the_api_erases_for_the_secretariat_only(personas, delegate):
    url = f"/api/v1/accounts/{delegate.pk}/erase/"
    assert client_as(None).post(url, {"reason": "x"}, format="json").status_code == 401
    assert client_as(personas["pc_fr"]).post(url, {"reason": "x"}, format="json").status_code == 403
    secretariat = client_as(personas["secretariat"])
    missing = answer(secretariat.post(url, {}, format="json"), 400)
    assert "reason" in missing
    own = answer(
        secretariat.post(
            f"/api/v1/accounts/{personas['secretariat'].pk}/erase/", {"reason": "x"}, format="json"
        ),
        400,
    )
    assert "your own account" in str(own)
    data = answer(secretariat.post(url, {"reason": "Asked."}, format="json"))
    assert data == {
        "id": delegate.pk,
        "username": erasure.pseudonym_username(delegate),
        "name": erasure.pseudonym(delegate),
    }
    assert answer(secretariat.post(url, {"reason": "Again."}, format="json"), 400)
