"""Logins that resist guessing (issue 13, point 6) and their audit (point 7): the
lockout on the login page, the admin login and the token endpoint, per account and
per address; the address read only from the trusted proxy; the password rules;
the absolute session lifetime; logins, logouts, failures, lockouts and refused
access in the audit log. Two-factor authentication: test_logins_two_factor.py."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from pompidou.models import AuditEvent
from pompidou.security.ip import client_ip
from pompidou.security.middleware import LOGIN_AT
from pompidou.security.throttling import AnonRateThrottle
from tests.conftest import PASSWORD, client_for

Kind = AuditEvent.Kind
LOGIN_URL = "/en/accounts/login/"
ADMIN_LOGIN_URL = "/en/admin/login/"
TOKEN_URL = "/api/v1/auth/token/"


def _page_login(client, username, password, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- the lockout ----------------------------------------------------------------


def test_six_wrong_passwords_lock_the_account_on_the_login_page(secretariat):
    client = Client()
    answers = [_page_login(client, "secretariat", f"wrong-{n}").status_code for n in range(6)]
    # Five refusals as the login form shows them, the sixth is the lockout.
    assert answers == [200] * 5 + [429]

    response = _page_login(client, "secretariat", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert not _logged_in(client)


def test_five_wrong_passwords_do_not_lock_and_a_success_clears_the_count(secretariat):
    client = Client()
    for n in range(5):
        _page_login(client, "secretariat", f"wrong-{n}")
    assert _page_login(client, "secretariat", PASSWORD).status_code == 302
    client.logout()
    # The count started again: five more failures still do not lock.
    for n in range(5):
        assert _page_login(client, "secretariat", f"again-{n}").status_code == 200
    assert _page_login(client, "secretariat", PASSWORD).status_code == 302


def test_the_account_stays_locked_from_another_address(secretariat):
    for n in range(6):
        _page_login(Client(REMOTE_ADDR="198.51.100.1"), "secretariat", f"wrong-{n}")

    response = _page_login(Client(REMOTE_ADDR="203.0.113.9"), "secretariat", PASSWORD)

    assert response.status_code == 429


def test_the_address_is_locked_for_every_account_after_six_failures(secretariat, pc_fr):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(6):
        _page_login(attacker, f"guess-{n}", "password")

    assert _page_login(attacker, "pc_fr", PASSWORD).status_code == 429
    # pc_fr from their own address is not concerned.
    assert _page_login(Client(REMOTE_ADDR="203.0.113.20"), "pc_fr", PASSWORD).status_code == 302


def test_a_forged_x_forwarded_for_changes_nothing_without_a_trusted_proxy(secretariat, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for n in range(6):
        # Each attempt claims another address; the socket's is the one counted.
        _page_login(client, f"user-{n}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}")

    response = _page_login(client, "secretariat", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")

    assert response.status_code == 429
    assert set(AuditEvent.objects.filter(kind=Kind.LOGIN_FAILED).values_list("ip", flat=True)) == {
        "127.0.0.1"
    }


def test_six_wrong_passwords_lock_the_admin_login(secretariat):
    secretariat.is_staff = True
    secretariat.save(update_fields=["is_staff"])
    client = Client()
    for n in range(6):
        client.post(ADMIN_LOGIN_URL, {"username": "secretariat", "password": f"wrong-{n}"})

    response = client.post(ADMIN_LOGIN_URL, {"username": "secretariat", "password": PASSWORD})

    assert response.status_code == 429
    assert not _logged_in(client)


def test_six_wrong_passwords_lock_the_token_endpoint(secretariat):
    api = APIClient()
    statuses = [
        api.post(TOKEN_URL, {"username": "secretariat", "password": f"wrong-{n}"}, format="json")
        for n in range(6)
    ]
    assert [r.status_code for r in statuses] == [400] * 5 + [429]

    response = api.post(TOKEN_URL, {"username": "secretariat", "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert "Too many failed logins" in response.json()["detail"]
    assert "token" not in response.json()


def test_failures_on_the_page_and_the_api_count_together(secretariat):
    for n in range(3):
        _page_login(Client(), "secretariat", f"page-{n}")
    for n in range(3):
        APIClient().post(TOKEN_URL, {"username": "secretariat", "password": f"api-{n}"})

    response = APIClient().post(TOKEN_URL, {"username": "secretariat", "password": PASSWORD})

    assert response.status_code == 429


def test_the_lockout_ends_after_the_cool_off(secretariat, settings, monkeypatch):
    import datetime as dt

    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=1)
    client = Client()
    for n in range(6):
        _page_login(client, "secretariat", f"wrong-{n}")
    assert _page_login(client, "secretariat", PASSWORD).status_code == 429

    time.sleep(2.1)

    assert _page_login(client, "secretariat", PASSWORD).status_code == 302


# --- the client's address ---------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "10.0.0.1"),  # no proxy: the header is the client's own words
        (1, "192.0.2.66, 203.0.113.5", "203.0.113.5"),  # the entry nginx appended
        (1, "203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.66, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxy_saw(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
    # The API's throttles count by the same address.
    assert AnonRateThrottle().get_ident(request) == expected


def test_the_api_login_throttle_counts_in_the_shared_cache_by_client_address(settings):
    from django.core.cache import cache

    from pompidou.security.throttling import LoginRateThrottle

    settings.TRUSTED_PROXY_COUNT = 0
    throttle = LoginRateThrottle()
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="192.0.2.1")
    request.user = AnonymousUser()

    assert throttle.get_cache_key(request, None) == "throttle_login_10.0.0.9"
    assert throttle.cache is cache


# --- passwords --------------------------------------------------------------------


@pytest.mark.parametrize("password", ["short-pass1", "password1234", "123456789012345"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("harbour-lantern-71-quill")


def test_the_password_change_form_refuses_eleven_characters(pc_fr):
    client = client_for(pc_fr)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Xq7#mLp2!vZ", "new_password2": "Xq7#mLp2!vZ"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


# --- sessions ---------------------------------------------------------------------


def test_a_session_older_than_its_absolute_lifetime_is_logged_out(pc_fr, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client = client_for(pc_fr)
    session = client.session
    session[LOGIN_AT] = int(time.time()) - 3601
    session.save()

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not _logged_in(client)
    assert AuditEvent.objects.filter(kind=Kind.LOGOUT, actor=pc_fr).exists()
    page = client.get(response["Location"])
    assert "Your session has ended" in page.content.decode()


def test_a_session_within_its_lifetime_stays_open(pc_fr, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client = client_for(pc_fr)
    session = client.session
    session[LOGIN_AT] = int(time.time()) - 3500
    session.save()

    assert client.get(reverse("dashboard")).status_code == 200
    assert _logged_in(client)


def test_the_idle_expiry_comes_from_the_settings(settings):
    # SESSION_IDLE_SECONDS → SESSION_COOKIE_AGE, renewed at every request.
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


# --- the audit log ----------------------------------------------------------------


def test_a_login_and_a_logout_are_in_the_audit_log_with_the_address(pc_fr):
    client = Client(REMOTE_ADDR="203.0.113.44")
    assert _page_login(client, "pc_fr", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    events = AuditEvent.objects.filter(actor=pc_fr, kind__in=[Kind.LOGIN, Kind.LOGOUT])
    assert [(e.kind, e.ip, e.subject_label) for e in events] == [
        (Kind.LOGIN, "203.0.113.44", "pc_fr"),
        (Kind.LOGOUT, "203.0.113.44", "pc_fr"),
    ]


def test_failed_logins_and_the_lockout_are_in_the_audit_log(secretariat):
    client = Client(REMOTE_ADDR="198.51.100.3")
    for n in range(6):
        _page_login(client, "secretariat", f"wrong-{n}")

    failed = AuditEvent.objects.filter(kind=Kind.LOGIN_FAILED)
    assert failed.count() == 6
    assert {(e.subject_label, e.ip, e.actor_id) for e in failed} == {
        ("secretariat", "198.51.100.3", None)
    }
    locked = AuditEvent.objects.get(kind=Kind.LOCKED_OUT)
    assert (locked.subject_label, locked.ip) == ("secretariat", "198.51.100.3")
    # No password is ever written down.
    assert not AuditEvent.objects.filter(comment__contains="wrong-").exists()


def test_an_api_token_login_is_in_the_audit_log(pc_fr):
    response = APIClient(REMOTE_ADDR="203.0.113.50").post(
        TOKEN_URL, {"username": "pc_fr", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200 and response.json()["token"]
    event = AuditEvent.objects.get(kind=Kind.LOGIN, actor=pc_fr)
    assert event.ip == "203.0.113.50"
    assert "API token" in event.comment


def test_a_refused_api_request_is_in_the_audit_log(pc_fr, programme):
    api = APIClient(REMOTE_ADDR="203.0.113.60")
    api.force_login(pc_fr)

    response = api.post("/api/v1/activities/", {"title": "Mine"}, format="json")

    assert response.status_code == 403
    event = AuditEvent.objects.get(kind=Kind.ACCESS_DENIED)
    assert (event.actor, event.ip, event.subject_label) == (
        pc_fr,
        "203.0.113.60",
        "/api/v1/activities/",
    )
    assert event.comment == "POST /api/v1/activities/"


def test_a_refused_page_is_in_the_audit_log(pc_fr):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.61")
    client.force_login(pc_fr)

    response = client.post(reverse("logout"))  # no CSRF token: refused

    assert response.status_code == 403
    event = AuditEvent.objects.get(kind=Kind.ACCESS_DENIED)
    assert (event.actor, event.ip) == (pc_fr, "203.0.113.61")


def test_the_secretariat_filters_access_events_in_the_back_office(secretariat, pc_fr):
    secretariat.is_staff = secretariat.is_superuser = True
    secretariat.save()
    _page_login(Client(REMOTE_ADDR="198.51.100.9"), "pc_fr", "wrong-password")
    client = client_for(secretariat)

    response = client.get(
        reverse("admin:pompidou_auditevent_changelist"), {"category": "access", "q": "198.51.100.9"}
    )

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [(e.kind, e.subject_label) for e in rows] == [(Kind.LOGIN_FAILED, "pc_fr")]
    event = rows[0]
    change = client.post(
        reverse("admin:pompidou_auditevent_change", args=[event.pk]), {"comment": "x"}
    )
    assert change.status_code == 403
