"""Setting up and checking the TOTP device of an account (django-otp)."""

from base64 import b32encode
from typing import Any

import segno
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from pompidou import audit
from pompidou.errors import DomainError

from .permissions import two_factor_required

DEVICE_NAME = "portal"


def session_needs_code(user: Any) -> bool:
    """Whether a session of ``user`` must be verified by a code: required by role,
    or chosen by the user (a confirmed device). Asked once, at login."""
    return bool(two_factor_required(user)) or user_has_device(user, confirmed=True)


def totp_device_pending(*, user: Any) -> TOTPDevice:
    """The unconfirmed device the setup page shows (made on first visit, the same
    secret on every visit until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: Any, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm ``device`` with a code from the authenticator app; it replaces any
    earlier device of the account."""
    if device.user_id != user.pk or device.confirmed:
        raise DomainError(_("This device cannot be confirmed: start the setup again."))
    if not device.verify_token(code):
        raise DomainError(
            _("The code is not right. Check the time on your phone and type the current code."),
            field="code",
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(user, audit.Kind.TWO_FACTOR, user, label=user.get_username())
    return device


def totp_verify(*, user: Any, code: str) -> TOTPDevice | None:
    """The confirmed device that accepts ``code`` (django-otp throttles repeated
    failures per device), or None."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not code:
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return device if device.verify_token(code) else None


def secret_of(device: TOTPDevice) -> str:
    """The secret in base32, as authenticator apps take it when typed in."""
    return b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` address as an inline SVG QR code."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))
