"""Error answers and the bad-input safety nets on their own: JSON under /api/, the
portal's pages elsewhere, the middleware that turns a value the database refuses
into a 400, and the JSON depth scan. (The table of hostile requests is
test_bad_input.py.)"""

import json

import pytest
from django.db import DataError
from django.test import RequestFactory

from pompidou.middleware import BadInputMiddleware
from pompidou.parsers import MAX_DEPTH, json_depth_exceeds
from tests.conftest import client_for
from tests.pompidou.test_bad_input import assert_error_shape


def _client(user):
    return client_for(user, raise_request_exception=False)


# --- JSON everywhere under /api/ ----------------------------------------------------


def test_an_unknown_api_address_answers_json_404(db):
    response = _client(None).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_answers_the_portal_404_page(db):
    response = _client(None).get("/en/activities/PG-2017-001%00/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page not found" in response.content.decode()


def test_a_server_error_under_the_api_answers_json_500(db, monkeypatch):
    from pompidou.api import Pagination

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Pagination, "paginate_queryset", broken)
    response = _client(None).get("/api/v1/member-states/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "server error" in response.json()["detail"]


def test_a_server_error_on_a_page_answers_the_plain_500_page(secretariat, monkeypatch):
    import portal.views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(portal.views, "sections_for", broken)
    response = _client(secretariat).get("/en/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Server error" in response.content.decode()


# --- the safety nets, on their own ------------------------------------------------


def _never_called(request):
    raise AssertionError("the view ran")


@pytest.mark.parametrize("path", ["/en/some/\x00/", "/api/v1/some/\x0b/", "/en/\x7f/"])
def test_an_address_with_a_control_character_is_a_404_before_any_view(db, path):
    request = RequestFactory().get("/")
    request.path = request.path_info = path
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = BadInputMiddleware(_never_called)(request)
    assert response.status_code == 404


@pytest.mark.parametrize(("path", "content_type"), [("/api/v1/x/", "application/json")])
def test_a_value_the_database_refuses_is_a_json_400_under_the_api(db, path, content_type):
    request = RequestFactory().get(path)
    response = BadInputMiddleware(_never_called).process_exception(request, DataError("nul"))
    assert response.status_code == 400
    assert response["Content-Type"].startswith(content_type)
    assert_error_shape(json.loads(response.content))


def test_a_value_the_database_refuses_is_the_400_page_elsewhere(secretariat):
    request = RequestFactory().get("/en/activities/")
    request.user = secretariat
    response = BadInputMiddleware(_never_called).process_exception(request, DataError("nul"))
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_other_exceptions_are_left_to_django(db):
    request = RequestFactory().get("/api/v1/x/")
    assert BadInputMiddleware(_never_called).process_exception(request, ValueError()) is None


@pytest.mark.parametrize(
    ("text", "too_deep"),
    [
        ("[" * MAX_DEPTH + "]" * MAX_DEPTH, False),
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), True),
        ('{"a": {"b": [1, 2, {"c": "d"}]}}', False),
        # Brackets inside strings, escaped quotes included, are text, not nesting.
        (json.dumps({"title": "[" * 100 + '\\"' + "{" * 100}), False),
        (json.dumps(["\\", "[" * 100]), False),
        ("[" * 50_000, True),
        # Past a string never closed, everything is inside it (the decoder fails there).
        ("[" * 10 + '"' + "[" * 100, False),
        ("[" * 40 + '"', True),
    ],
)
def test_the_depth_scan_counts_only_brackets_outside_strings(text, too_deep):
    assert json_depth_exceeds(text) is too_deep


def test_the_depth_scan_is_linear_even_for_quotes_that_never_close():
    # Every quote here opens a string that never closes: a scan that retried from
    # each quote would take hours on this 1 MB body (16 s for 40 kB).
    import time

    body = '\\"' * 500_000 + "[" * (MAX_DEPTH + 1)
    started = time.monotonic()
    assert json_depth_exceeds(body) is False  # not JSON: the decoder refuses it
    assert time.monotonic() - started < 2


def test_a_reference_the_portal_gives_matches_the_activity_converter(db):
    import re

    from activities.services import _next_reference
    from pompidou.converters import ACTIVITY_REFERENCE_REGEX

    for _ in range(3):
        assert re.fullmatch(ACTIVITY_REFERENCE_REGEX, _next_reference(2017))
