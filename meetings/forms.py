from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import AnnualProgramme
from evaluation.models import EvaluationReport
from pompidou.forms import CleanTextMixin

from .models import AgendaItem
from .services import OUTCOMES


class AgendaItemForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of item"),
        choices=[c for c in AgendaItem.Kind.choices if c[0] != AgendaItem.Kind.PROPOSAL],
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("For another item: what the plenary discusses."),
    )
    annual_programme = forms.ModelChoiceField(
        queryset=AnnualProgramme.objects.order_by("-year"),
        label=_("Annual programme"),
        required=False,
    )
    evaluation_report = forms.ModelChoiceField(
        queryset=EvaluationReport.objects.order_by("-pk"),
        label=_("Evaluation report"),
        required=False,
    )


class DecisionEntryForm(CleanTextMixin, forms.Form):
    """One agenda item on the decisions screen (prefixed ``item-<id>``)."""

    outcome = forms.ChoiceField(label=_("Decision"), required=False)
    conclusion = forms.CharField(
        label=_("Rationale or conclusion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_over_ceiling = forms.BooleanField(
        label=_("I confirm adopting above the ceiling"), required=False
    )

    def __init__(self, *args, item: AgendaItem, needs_confirmation: bool = False, **kwargs):
        kwargs.setdefault("prefix", f"item-{item.pk}")
        super().__init__(*args, **kwargs)
        self.item = item
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = [
            ("", _("— not decided —")),
            *[(o, AgendaItem.Outcome(o).label) for o in OUTCOMES[item.kind]],
        ]
        self.needs_confirmation = needs_confirmation
        if not needs_confirmation:
            del self.fields["confirm_over_ceiling"]


class AttendanceForm(CleanTextMixin, forms.Form):
    attendees = forms.CharField(
        label=_("Who attends for your delegation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the service words the rule
        help_text=_("One name per line; saving again replaces the list."),
    )


class MeetingDocumentForm(CleanTextMixin, forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF or Word (.docx), at most 10 MB: convocation, annotated agenda…"),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Optional; the file's name otherwise."),
    )
