from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The portal's cross-app pages (dashboard, Bureau), the API's URL composition and
    the demo loader: the top layer, which may import every app and none imports."""

    name = "portal"
    verbose_name = "Portal pages"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the navigation's rules)
