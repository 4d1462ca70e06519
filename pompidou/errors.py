"""The one exception services raise: views turn it into form errors, the API into a 400."""

from collections.abc import Mapping

NON_FIELD = "__all__"


class DomainError(Exception):
    """A rule of the portal refused an action.

    ``DomainError("message", field="end_date")`` for one problem, or
    ``DomainError({"scope": ["…"], "end_date": ["…"]})`` to report every problem at once.
    """

    def __init__(self, message: str | Mapping[str, list[str]], field: str | None = None):
        if isinstance(message, Mapping):
            self.errors = {key: list(value) for key, value in message.items()}
        else:
            self.errors = {field or NON_FIELD: [str(message)]}
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return " ".join(msg for msgs in self.errors.values() for msg in msgs)


class PermissionDenied(DomainError):
    """The actor may see the object but not do this to it (HTTP 403)."""


class ServiceUnavailable(Exception):
    """A service the portal depends on does not answer (the job queue): HTTP 503.

    Nothing the user asked for is lost: what was saved stays saved, and the message
    says what to do ("try again in a few minutes"). The pages render 503.html, the
    API answers ``{"detail": "…"}`` with ``Retry-After``.
    """

    retry_after = 60

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)
