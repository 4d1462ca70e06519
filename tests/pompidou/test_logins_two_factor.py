"""TOTP two-factor authentication (django-otp) for Secretariat and Bureau accounts,
required when OTP_REQUIRED is on; and the back office's read-only pages."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from pompidou.models import AuditEvent
from tests.conftest import PASSWORD

LOGIN_URL = "/en/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows for ``device`` now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def fresh(device: TOTPDevice) -> TOTPDevice:
    """The device, with its last used time step forgotten, so a test may log in twice
    within 30 seconds (django-otp refuses a code used once, as it should)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a right code right after a wrong one


def _login(client, username):
    response = client.post(LOGIN_URL, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return response


def test_a_secretariat_account_sets_up_its_device_after_the_password(secretariat, otp_required):
    client = Client()
    _login(client, "secretariat")

    page = client.get(reverse("dashboard"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:two_factor_setup"))

    setup = client.get(page["Location"])
    assert setup.status_code == 200
    body = setup.content.decode()
    assert "<svg" in body and setup.context["secret"] in body
    device = TOTPDevice.objects.get(user=secretariat, confirmed=False)

    wrong = client.post(page["Location"], {"code": "000000"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    done = client.post(page["Location"], {"code": code_for(device)})

    assert done.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert TOTPDevice.objects.get(user=secretariat).confirmed
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TWO_FACTOR, actor=secretariat).exists()


def test_a_bureau_member_with_a_device_gives_the_code_after_the_password(
    bureau_chair, otp_required
):
    device = TOTPDevice.objects.create(user=bureau_chair, name="portal", confirmed=True)
    client = Client()
    _login(client, "bureau_chair")

    page = client.get(reverse("dashboard"))
    assert page["Location"].startswith(reverse("accounts:two_factor_verify"))
    # Other pages, the admin included, wait for the code too.
    assert client.get(reverse("admin:index")).status_code == 302

    wrong = client.post(page["Location"], {"code": "123456"})
    assert wrong.status_code == 200
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.LOGIN_FAILED, subject_label="bureau_chair"
    ).exists()
    right = client.post(reverse("accounts:two_factor_verify"), {"code": code_for(fresh(device))})

    assert right.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_code_page_is_locked_after_six_wrong_codes(bureau_chair, otp_required):
    device = TOTPDevice.objects.create(user=bureau_chair, name="portal", confirmed=True)
    client = Client()
    _login(client, "bureau_chair")
    url = reverse("accounts:two_factor_verify")
    answers = [client.post(url, {"code": f"00000{n}"}).status_code for n in range(6)]
    assert answers[-1] == 429

    assert client.post(url, {"code": code_for(fresh(device))}).status_code == 429
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_correspondent_is_not_asked_for_a_code(pc_fr, otp_required):
    client = Client()
    _login(client, "pc_fr")
    assert client.get(reverse("dashboard")).status_code == 200


def test_without_the_setting_the_secretariat_logs_in_with_a_password(secretariat):
    client = Client()
    _login(client, "secretariat")
    assert client.get(reverse("dashboard")).status_code == 200


def test_an_unverified_session_is_refused_by_the_api(secretariat, otp_required):
    TOTPDevice.objects.create(user=secretariat, name="portal", confirmed=True)
    client = APIClient()
    client.post(LOGIN_URL, {"username": "secretariat", "password": PASSWORD})

    response = client.get("/api/v1/proposals/")

    assert response.status_code == 403
    assert "code" in response.json()["detail"]


def test_the_token_endpoint_asks_for_the_code(secretariat, otp_required):
    device = TOTPDevice.objects.create(user=secretariat, name="portal", confirmed=True)
    api = APIClient()
    credentials = {"username": "secretariat", "password": PASSWORD}

    without = api.post(TOKEN_URL, credentials, format="json")
    assert without.status_code == 400 and "otp" in without.json()
    with_code = api.post(TOKEN_URL, {**credentials, "otp": code_for(device)}, format="json")

    assert with_code.status_code == 200 and with_code.json()["token"]


def test_the_token_endpoint_refuses_an_account_without_its_device(secretariat, otp_required):
    response = APIClient().post(
        TOKEN_URL, {"username": "secretariat", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert "Set up two-factor" in response.json()["otp"][0]


# --- the back office: what the services write is read-only there ----------------


@pytest.mark.parametrize(
    "model", ["decision", "bureauvote", "assessment", "criterionscore", "support"]
)
def test_the_back_office_cannot_change_decisions_votes_assessments_or_supports(model):
    from django.contrib import admin
    from django.test import RequestFactory

    from proposals import models

    request = RequestFactory().get("/")
    from django.contrib.auth.models import User

    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    klass = {
        "decision": models.Decision,
        "bureauvote": models.BureauVote,
        "assessment": models.Assessment,
        "criterionscore": models.CriterionScore,
        "support": models.Support,
    }[model]
    if klass in admin.site._registry:
        model_admin = admin.site._registry[klass]
    else:  # an inline of the proposal or the assessment page
        parent = models.Proposal if klass is models.Support else models.Assessment
        model_admin = next(
            inline
            for inline in admin.site._registry[parent].get_inline_instances(request)
            if inline.model is klass
        )
    assert not model_admin.has_add_permission(request, None)
    assert not model_admin.has_change_permission(request, None)
    assert not model_admin.has_delete_permission(request, None)


def test_the_admin_refuses_a_post_to_a_decision(secretariat, states):
    secretariat.is_staff = secretariat.is_superuser = True
    secretariat.save()
    client = Client()
    client.force_login(secretariat)

    assert client.get(reverse("admin:proposals_decision_add")).status_code == 403
