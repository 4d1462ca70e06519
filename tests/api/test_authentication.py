"""Token clients: ``Token <key>`` and ``Bearer <key>`` both authenticate; a bad key is a 401."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

# Members only: a key that did not authenticate would show as a 401 here.
PRIVATE = "/api/v1/proposals/"


@pytest.fixture
def token(pc_fr):
    return Token.objects.create(user=pc_fr).key


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "bearer"])
def test_a_valid_key_authenticates_with_either_keyword(token, keyword):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"{keyword} {token}")
    response = api.get(PRIVATE)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-key", "Token 0123456789abcdef0123456789abcdef01234567", "Bearer", "Bearer a b"],
)
def test_an_unknown_or_malformed_key_answers_401_not_anonymous_data(db, header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    # Even a public endpoint refuses: the client meant to authenticate and failed.
    response = api.get("/api/v1/activities/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


def test_another_scheme_is_left_to_the_other_authentications(db):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert api.get("/api/v1/activities/").status_code == 200  # public, anonymous


def test_an_anonymous_request_for_member_data_is_told_to_authenticate(db):
    response = APIClient().get(PRIVATE)
    assert response.status_code == 401
