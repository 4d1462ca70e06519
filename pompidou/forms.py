"""How pages call services: a DomainError becomes form errors, a refusal a 403."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.utils.translation import gettext_lazy as _

from .errors import NON_FIELD, DomainError, PermissionDenied
from .lib.text import clean_text


def call_service(form: forms.BaseForm | None, service: Callable[..., Any], **kwargs: Any) -> Any:
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


class _CleanTextField:
    """Mixed into a form's text fields by ``CleanTextMixin``: line breaks normalised,
    other control characters refused (the rule is ``pompidou.lib.text``)."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)  # type: ignore[misc]  # the field class it is mixed into
        return clean_text(value) if isinstance(value, str) and value else value


_CLEAN_FIELD_CLASSES: dict[type, type] = {}


def _with_clean_text(field: forms.Field) -> None:
    if not isinstance(field, forms.CharField) or isinstance(field, _CleanTextField):
        return
    cls = type(field)
    if cls not in _CLEAN_FIELD_CLASSES:
        _CLEAN_FIELD_CLASSES[cls] = type(cls.__name__, (_CleanTextField, cls), {})
    field.__class__ = _CLEAN_FIELD_CLASSES[cls]


class CleanTextMixin:
    """Every text field of the form (``CharField`` and its kinds, whoever declared
    it) keeps the one rule on control characters, so no form can let in a character
    that stops a document from compiling. Applied when the form is cleaned, so the
    fields an ``__init__`` adds are covered too."""

    fields: dict[str, forms.Field]  # the form's, which this is mixed into

    def full_clean(self) -> None:
        for field in self.fields.values():
            _with_clean_text(field)
        super().full_clean()  # type: ignore[misc]


class Form(CleanTextMixin, forms.Form):
    """The base of every form of the portal."""


class ServiceModelForm(CleanTextMixin, forms.ModelForm):
    """A ModelForm for input and widgets only: the service validates and saves.

    Model validation (constraints, validators) is left to the service, so a rule
    is checked, and worded, in one place.
    """

    def _post_clean(self) -> None:
        pass


class DayMonthYearInput(forms.DateInput):
    """A date typed and shown as the site writes it, 20/11/2014, whatever the browser's
    locale (a native date input shows 11/20/2014 in an American browser). The
    formats' DATE_INPUT_FORMATS read it back, and ISO dates still. Every date field of
    the portal uses it."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
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


def call_with_message(request: Any, service: Callable[..., Any], **kwargs: Any) -> Any:
    """Run ``service`` for a button without a form (move up, open consultation): a
    refusal by role is the 403 page, a DomainError the page's error message; returns
    the service's answer, or None when it refused."""
    from django.contrib import messages

    try:
        return service(**kwargs)
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
