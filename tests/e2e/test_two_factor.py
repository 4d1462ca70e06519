"""A Secretariat account that must use two-factor authentication: the first login
sets up the authenticator app from the page's secret, the next one asks for the
code. The codes are computed here as an authenticator app computes them."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def app_code(secret: str) -> str:
    """What an authenticator app shows now for the base32 ``secret`` (RFC 6238)."""
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def password_step(page, base):
    page.goto(f"{base}/en/accounts/login/")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill("pompidou-demo")
    page.locator("main form button[type=submit]").click()


def test_secretariat_sets_up_two_factor_and_logs_in_with_a_code(
    page, live_server, demo, settings, check_page
):
    settings.OTP_REQUIRED = True
    base = live_server.url

    password_step(page, base)
    page.wait_for_url(f"{base}/en/accounts/two-factor/setup/**")
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of the two-factor secret")).to_be_visible()
    check_page(page, "two-factor-setup")
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(app_code(secret))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{base}/en/")
    expect(page.get_by_role("heading", name="Welcome, Sophie")).to_be_visible()

    page.get_by_role("button", name="Sophie Laurent").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url(f"{base}/en/accounts/logout/")
    # The app's next code; within the same 30 seconds the same code, which django-otp
    # accepts once only: forget that it was used, as 30 seconds would.
    TOTPDevice.objects.filter(user__username="secretariat").update(last_t=-1)

    password_step(page, base)
    page.wait_for_url(f"{base}/en/accounts/two-factor/**")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("The code is not right")).to_be_visible()
    # django-otp refuses any code for a second after a wrong one (then 2, 4, … s).
    page.wait_for_timeout(1100)
    page.get_by_label("Code from your authenticator app").fill(app_code(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/en/")
    expect(page.get_by_role("heading", name="Welcome, Sophie")).to_be_visible()
