"""The programme's texts on a page of another language than the one they are in."""

from django import template
from django.conf import settings
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def fallback_lang(obj: models.Model, field: str) -> SafeString | str:
    """`` lang="en"`` on the element of a text shown in English for want of its text in
    the page's language (modeltranslation's fallback), so that a screen reader reads it
    as English; nothing when the text is in the page's language."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if language == default or getattr(obj, f"{field}_{language}", None):
        return ""
    if not getattr(obj, f"{field}_{default}", None):
        return ""
    return format_html(' lang="{}"', default)
