from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Two-factor authentication (TOTP) for the accounts that hold the most power:
    who needs it, setting it up, and the code asked after the password. Depends on
    ``programme`` (the roles); no app depends on it."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import (
            permissions,  # noqa: F401  (registers accounts.two_factor_required)
            signals,  # noqa: F401  (notes at login whether the session needs a code)
        )
