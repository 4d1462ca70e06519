from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Two-factor authentication (TOTP) for the accounts that hold the most power:
    who needs it, setting it up, and the code asked after the password; and personal
    data: what the portal holds about a person (``personal_data``), erasing an
    account or a feedback invitee (``erasure``), retention (``retention``, on beat)
    and the privacy page. Reads every app's models by label (the registry); only the
    URL modules (``pompidou/urls.py``, ``portal/api_urls.py``) import it."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import (
            permissions,  # noqa: F401  (registers accounts.two_factor_required)
            signals,  # noqa: F401  (notes at login whether the session needs a code)
        )
