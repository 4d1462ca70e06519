"""Forms of the proposal pages: input and widgets only; the services check and save."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from pompidou.forms import DayMonthYearInput, Form, ServiceModelForm
from pompidou.lib.l10n import number
from programme import roles
from programme.models import BureauMandate, Meeting, MemberState, PermanentFormat, WorkProgramme
from programme.selectors import member_states_by_name

from .models import HALF_POINTS, Comment, Decision, Proposal

# What section 2.2 asks before submission: marked on the form, checked by
# ``services.missing_for_submission``; a draft saves without them.
REQUIRED_TO_SUBMIT = ("scope", "purpose", "expected_outcome", "start_date", "end_date")


class ProposalForm(ServiceModelForm):
    """A proposal as a Permanent Correspondent drafts it; what submission needs is said
    in the help texts and checked by ``services.missing_for_submission``."""

    year = forms.TypedChoiceField(
        label=_("Year of the annual programme"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For the annual route: the annual programme the activity should join."),
    )
    as_bureau = forms.BooleanField(
        label=_("Propose as a Bureau member, in an area I supervise"),
        required=False,
    )

    class Meta:
        model = Proposal
        fields = list(Proposal.EDITABLE_FIELDS)
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "expected_outcome": forms.Textarea(attrs={"rows": 3}),
            "start_date": DayMonthYearInput(),
            "end_date": DayMonthYearInput(),
            "thematic_priorities": forms.CheckboxSelectMultiple,
            "urgency_justification": forms.Textarea(attrs={"rows": 3}),
            "human_rights_statement": forms.Textarea(attrs={"rows": 3}),
            "gender_statement": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("A short name the Permanent Correspondents will recognise."),
            "scope": _(
                "Concrete in terms of <em>scope</em> (section 2.2): who and what the activity "
                "covers — countries, professions, settings."
            ),
            "purpose": _(
                "Concrete in terms of <em>purpose</em> (section 2.2): the problem it addresses "
                "and why it matters to other member States."
            ),
            "expected_outcome": _(
                "Concrete in terms of <em>expected outcome</em> (section 2.2): the products "
                "and results member States will be able to use."
            ),
            "start_date": _("Concrete in terms of <em>timespan</em> (section 2.2)."),
            "end_date": _("Concrete in terms of <em>timespan</em> (section 2.2)."),
            "estimated_cost": _("In euros, for the whole activity."),
            "urgency_justification": _(
                "For the urgent route only: the Bureau votes on urgent activities between "
                "the Permanent Correspondents' meetings; say why it cannot wait."
            ),
            "human_rights_statement": _(
                "Human rights are transversal to every activity (priority 3.1): how does "
                "this one respect and promote them?"
            ),
            "gender_statement": _(
                "How does the activity take account of the needs of women and men?"
            ),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        wp = (
            self.instance.work_programme
            if self.instance.pk
            else WorkProgramme.objects.in_force().first()
        )
        priorities = self.fields["thematic_priorities"]
        priorities.queryset = wp.priorities.order_by("number") if wp else priorities.queryset.none()
        priorities.required = False  # the service words the rule at submission
        priorities.label_from_instance = lambda p: f"{p.number} {p.title}"
        priorities.help_text = _(
            "Relevant to the aims and the thematic priorities (section 2.2): tick at least "
            "one. Priority 3.1, human rights, is transversal to all activities."
        )
        fmt = self.fields["permanent_format"]
        fmt.queryset = (
            PermanentFormat.objects.filter(work_programme=wp).order_by("number")
            if wp
            else PermanentFormat.objects.none()
        )
        fmt.empty_label = _("None — an ad hoc, time-limited activity")
        fmt.help_text = _(
            "One of the permanent formats of chapter 4, or none for an activity in its own "
            "right (section 2.2)."
        )
        self.fields["route"].help_text = _(
            "Annual programme: assessed and ranked for that year. Ad hoc: decided by the "
            "Permanent Correspondents during the year. Urgent: voted by the Bureau."
        )
        self.fields["year"].choices = [("", "—")] + ([(y, str(y)) for y in wp.years] if wp else [])
        self.fields["title"].required = True
        for name in (*REQUIRED_TO_SUBMIT, "thematic_priorities"):
            self.fields[name].required_to_submit = True
        for name in ("start_date", "end_date"):
            self.fields[name].error_messages["invalid"] = _(
                "Enter the date as day/month/year, e.g. 31/01/2018."
            )
        if not roles.roles_of(user).is_bureau or self.instance.pk:
            del self.fields["as_bureau"]
        else:
            self.fields["as_bureau"].help_text = _(
                "The proposal is then made in your capacity as supervisor (section 2.2); "
                "it must lie in a priority or format you supervise."
            )

    def service_fields(self) -> dict:
        # Meta.fields, typed: the form's _meta may lack them as far as mypy knows.
        data = {name: self.cleaned_data.get(name) for name in Proposal.EDITABLE_FIELDS}
        data["thematic_priorities"] = list(data.get("thematic_priorities") or [])
        for text in (
            "scope",
            "purpose",
            "expected_outcome",
            "urgency_justification",
            "human_rights_statement",
            "gender_statement",
        ):
            data[text] = data[text] or ""
        data["route"] = data["route"] or Proposal.Route.ANNUAL
        return data


def assessor_candidates(proposal: Proposal):
    """Users who may assess this proposal: Secretariat staff, experts and current Bureau
    members (``permissions.may_assess``), none of the proposing delegation
    (``has_conflict_of_interest``), not already assessing it. The service checks again."""
    User = get_user_model()
    bureau = BureauMandate.objects.current().values("user")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=[roles.SECRETARIAT, roles.EXPERT]) | Q(pk__in=bureau))
        .exclude(profile__member_state_id=proposal.member_state_id)
        .exclude(assessments__proposal=proposal)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    """People by their full name (their username when it is blank)."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class AssessorForm(Form):
    # Named as the service's field, so its errors sit next to the select.
    username = UserChoiceField(
        queryset=get_user_model().objects.none(),
        to_field_name="username",
        label=_("Assessor"),
        help_text=_(
            "Secretariat staff, experts and Bureau members; nobody of the proposing delegation."
        ),
    )

    due_date = forms.DateField(
        label=_("Due"),
        widget=DayMonthYearInput(),
        required=False,  # blank: the service's default
        help_text=_("Day/month/year; three weeks from today unless you change it."),
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        from .services import default_due_date

        super().__init__(*args, **kwargs)
        self.fields["due_date"].initial = default_due_date(timezone.localdate())
        cast(UserChoiceField, self.fields["username"]).queryset = assessor_candidates(proposal)


class SupportForm(Form):
    """The Secretariat records a support received by letter."""

    member_state: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=MemberState.objects.none(), label=_("Supporting delegation")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("E.g. received by letter of 3 May."),
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["member_state"]).queryset = member_states_by_name(
            MemberState.objects.exclude(pk=proposal.member_state_id).exclude(
                supports__proposal=proposal
            )
        )


class DecisionForm(Form):
    outcome = forms.ChoiceField(choices=[("", "—"), *Decision.Outcome.choices], label=_("Outcome"))
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.filter(kind=Meeting.Kind.PC_PLENARY).order_by("-date"),
        label=_("Permanent Correspondents' meeting"),
        required=False,
        help_text=_("The plenary that decided; the decision takes its date."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the service words the rule
        help_text=_("Required; it is sent to the proposing and supporting delegations."),
    )
    confirm_over_ceiling = forms.BooleanField(
        label=_("I confirm adopting above the ceiling"),
        required=False,
        help_text=_("Needed only when the adoption takes the year over its budget ceiling."),
    )

    def __init__(self, *args, over_ceiling: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not over_ceiling:
            del self.fields["confirm_over_ceiling"]


class CommentForm(Form):
    """A comment, a reply (``parent``) or, without ``channel`` and ``parent``, an edit.
    Each form of the page has its own element ids (``auto_id``)."""

    body = forms.CharField(
        label=_("Your comment"),
        max_length=Comment.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text; links become clickable; @username mentions a person."),
    )
    channel = forms.ChoiceField(
        choices=Comment.Channel.choices, widget=forms.HiddenInput, required=False
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, channel: str = "public", parent: int | None = None, **kw: Any):
        kw.setdefault("auto_id", f"comment_{channel}_{parent or 'new'}_%s")
        kw.setdefault("initial", {"channel": channel, "parent": parent})
        super().__init__(*args, **kw)
        self.for_channel, self.for_parent = channel, parent
        if parent:
            self.fields["body"].label = _("Your reply")


class WithdrawForm(Form):
    comment = forms.CharField(
        label=_("Why (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


SCORE_LABELS = {
    Decimal("0"): _("0 — fails or cannot be judged"),
    Decimal("1"): _("1 — poor"),
    Decimal("2"): _("2 — fair"),
    Decimal("3"): _("3 — good"),
    Decimal("4"): _("4 — very good"),
    Decimal("5"): _("5 — excellent"),
}


def score_key(value: Decimal) -> str:
    """One spelling per score ("4" for 4, 4.0 and 4.00; "4.5"), for the choices and
    for the saved value alike, so a saved score selects its choice again."""
    return str(value.normalize())


# The half points' labels are written when the form is shown, in its language ("3,5").
_localized_number = lazy(number, str)

SCORE_CHOICES = [("", _("— not scored yet —"))] + [
    (score_key(v), SCORE_LABELS.get(v, _localized_number(v, 1))) for v in HALF_POINTS
]


class AssessmentForm(Form):
    """One score (0–5 in half points) and one comment per scored criterion."""

    def __init__(self, *args, criteria, existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            score, comment = existing.get(c.pk, (None, ""))
            self.fields[f"score_{c.pk}"] = forms.TypedChoiceField(
                label=_("Score on criterion %(n)s") % {"n": c.number},
                choices=SCORE_CHOICES,
                coerce=Decimal,
                empty_value=None,
                required=False,
                initial="" if score is None else score_key(score),
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment on criterion %(n)s") % {"n": c.number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=comment,
                help_text=_("Required for a score below 3 when you submit: say what is missing."),
            )

    def clean(self):
        data = super().clean()
        for c in self.criteria:
            if data.get(f"score_{c.pk}") is None and (data.get(f"comment_{c.pk}") or "").strip():
                self.add_error(f"score_{c.pk}", _("Choose a score: a comment alone is not saved."))
        return data

    def rows(self):
        """Per criterion: the criterion and its two bound fields, for the template."""
        return [
            {"criterion": c, "score": self[f"score_{c.pk}"], "comment": self[f"comment_{c.pk}"]}
            for c in self.criteria
        ]

    def scores(self) -> tuple[list[dict], list[str]]:
        """The service's ``scores`` list (every criterion: a blank score clears a saved
        one) and, for each item, the field an error about it belongs to (the comment
        when a score below 3 lacks one)."""
        items, targets = [], []
        for c in self.criteria:
            score = self.cleaned_data.get(f"score_{c.pk}")
            comment = (self.cleaned_data.get(f"comment_{c.pk}") or "").strip()
            items.append({"criterion": c.pk, "score": score, "comment": comment})
            low = score is not None and score < 3 and not comment
            targets.append(f"comment_{c.pk}" if low else f"score_{c.pk}")
        return items, targets


class AttachmentForm(Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF or Word (.docx), at most 10 MB: terms of reference, budget sheet…"),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Optional; the file's name otherwise."),
    )


class DeadlineForm(Form):
    """The Secretariat sets a deadline of the proposal (``services.deadline_set``): which
    one is a hidden field, so the support and the voting deadline share the form."""

    field = forms.ChoiceField(
        choices=[
            ("support_deadline", _("Support deadline")),
            ("vote_deadline", _("Voting deadline")),
        ],
        widget=forms.HiddenInput,
    )
    # Named as the service's argument, so its errors sit next to the input.
    day = forms.DateField(
        label=_("New deadline"),
        widget=DayMonthYearInput(),
        help_text=_("Day/month/year; today or later."),
    )

    def __init__(self, *args: Any, field: str = "support_deadline", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{field}_%s")
        kwargs.setdefault("initial", {"field": field})
        super().__init__(*args, **kwargs)
