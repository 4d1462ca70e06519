from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from pompidou.forms import Form


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=6,
        min_length=6,
        strip=True,
        validators=[RegexValidator(r"^\d{6}$", _("Type the six digits the app shows."))],
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class EraseAccountForm(Form):
    reason = forms.CharField(
        label=_("Why the account is erased"),
        max_length=500,
        help_text=_("Kept in the history. Do not write the person's name."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the account is erased.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class EraseInviteeForm(Form):
    email = forms.EmailField(
        label=_("E-mail address the feedback link was sent to"),
        error_messages={
            "required": _("Give the e-mail address the feedback link was sent to."),
            "invalid": _("Give a valid e-mail address."),
        },
    )
    reason = forms.CharField(
        label=_("Why the invitee is erased"),
        max_length=500,
        error_messages={"required": _("Say why the invitee is erased.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
