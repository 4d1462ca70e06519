from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .documents import KIND_CHOICES
from .engine import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    """The words and, optionally, one kind: checked alike for the page and the API."""

    q = forms.CharField(
        label=_("Search"),
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "required": _("Type one or more words to search for."),
            "max_length": _("Search with at most %(limit_value)d characters."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Everything")), *KIND_CHOICES],
        error_messages={"invalid_choice": _("Choose a kind from the list.")},
    )

    def clean_q(self) -> str:
        q: str = self.cleaned_data["q"]
        # NUL and other control characters would reach PostgreSQL's parser: refused.
        if any(ord(c) < 32 for c in q):
            raise forms.ValidationError(_("Search with words only, without control characters."))
        return q

    def clean_kind(self) -> Any:
        return self.cleaned_data["kind"] or None
