from django import forms
from django.utils.translation import gettext_lazy as _

from pompidou.forms import Form

from .kinds import KINDS


class ImportForm(Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(name, kind.label) for name, kind in KINDS.items()],
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "Excel (.xlsx) or CSV, headers in English or French as in the template. "
            "Nothing is changed until you confirm the dry run."
        ),
    )
