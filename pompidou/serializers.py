"""The base of every serializer that reads a request body."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from .lib.text import clean_text


class _CleanTextField:
    """Mixed into a serializer's text fields by ``CleanTextMixin``: line breaks
    normalised, other control characters refused (the rule is ``pompidou.lib.text``)."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)  # type: ignore[misc]  # the field's
        if not isinstance(value, str) or not value:
            return value
        try:
            return clean_text(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from exc


_CLEAN_FIELD_CLASSES: dict[type, type] = {}


def _with_clean_text(field: serializers.Field) -> None:
    if isinstance(field, serializers.ListField | serializers.DictField):
        _with_clean_text(field.child)
        return
    if not isinstance(field, serializers.CharField) or isinstance(field, _CleanTextField):
        return
    cls = type(field)
    if cls not in _CLEAN_FIELD_CLASSES:
        # Same name and module, so the OpenAPI schema does not change.
        _CLEAN_FIELD_CLASSES[cls] = type(
            cls.__name__, (_CleanTextField, cls), {"__module__": cls.__module__}
        )
    field.__class__ = _CLEAN_FIELD_CLASSES[cls]


class CleanTextMixin:
    """Every text field of the serializer (``CharField`` and its kinds, also as the
    child of a list or dict field) keeps the one rule on control characters, so no
    request can store a character that stops a document from compiling. A nested
    serializer keeps it through its own class."""

    def get_fields(self) -> Any:
        fields = super().get_fields()  # type: ignore[misc]  # the serializer's
        for field in fields.values():
            _with_clean_text(field)
        return fields


class InputSerializer(CleanTextMixin, serializers.Serializer):
    """The base of every input serializer of the API."""


class RefusesFieldsInputSerializer(InputSerializer):
    """Fields a client might send that this request cannot change are refused, not
    ignored, so a client never believes it changed them: ``not_writable`` maps each
    such field to the message that says why."""

    not_writable: dict = {}

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            refused = {
                name: [str(message)] for name, message in self.not_writable.items() if name in data
            }
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)
