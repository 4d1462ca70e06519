"""How pages call services: a DomainError becomes form errors, a refusal a 403."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.utils.translation import gettext_lazy as _

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


class DayMonthYearInput(forms.DateInput):
    """A date typed and shown as the site writes it, 20/11/2014, whatever the browser's
    locale (a native date input shows 11/20/2014 in an American browser). The
    formats' DATE_INPUT_FORMATS read it back, and ISO dates still. Every date field of
    the portal uses it."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "placeholder": _("dd/mm/yyyy"),
                "inputmode": "numeric",
                "autocomplete": "off",
                "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}",
                **(attrs or {}),
            },
            format="%d/%m/%Y",
        )
