from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Mark


class MarkForm(forms.Form):
    """The proposer's verdict on one similar item (an activity's reference or a
    proposal's number); the service checks the item."""

    verdict = forms.ChoiceField(label=_("verdict"), choices=Mark.Verdict.choices)
    activity = forms.CharField(label=_("activity"), required=False, max_length=20)
    proposal = forms.IntegerField(label=_("proposal"), required=False, min_value=1)
