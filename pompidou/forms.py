"""How pages call services: a DomainError becomes form errors, a refusal a 403."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied as HttpForbidden

from .errors import NON_FIELD, DomainError, PermissionDenied


def call_service(form: forms.BaseForm | None, service: Callable[..., Any], **kwargs) -> Any:
    """Run ``service``; on a DomainError put its messages on ``form`` and return None.

    Fields the form does not have get their message as a form-wide error, so
    nothing the service says is lost.
    """
    try:
        return service(**kwargs)
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except DomainError as exc:
        if form is None:
            raise
        for field, messages in exc.errors.items():
            target = field if field in form.fields else None
            for message in messages:
                if target is None and field != NON_FIELD:
                    form.add_error(None, message)
                else:
                    form.add_error(target, message)
        return None


class ServiceModelForm(forms.ModelForm):
    """A ModelForm for input and widgets only: the service validates and saves.

    Model validation (constraints, validators) is left to the service, so a rule
    is checked, and worded, in one place.
    """

    def _post_clean(self):
        pass
