"""What the proposal pages share: refusals, messages, htmx."""

from django.contrib import messages

from pompidou.errors import DomainError
from pompidou.forms import call_service

from ..models import Proposal

S = Proposal.Status
PAGE_SIZE = 50


def _error_messages(request, exc: DomainError) -> None:
    for text in (m for msgs in exc.errors.values() for m in msgs):
        messages.error(request, text)


def _act(request, service, success: str, **kwargs) -> bool:
    """Run a service that needs no form: a refusal is a 403, a broken rule a message."""
    try:
        call_service(None, service, actor=request.user, **kwargs)
    except DomainError as exc:
        _error_messages(request, exc)
        return False
    messages.success(request, success)
    return True


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
