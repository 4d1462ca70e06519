"""What the proposals app adds to the documents of the apps below it: the annex of
adoption decisions of the annual programme (registered in ``ProposalsConfig.ready``)."""

from django.db.models import Q
from django.utils import formats

from activities.models import AnnualProgramme

from .models import Decision


def adoption_decisions(ap: AnnualProgramme) -> list[dict]:
    """The decisions that adopted the activities of ``ap``'s year or entries, by date."""
    year = ap.year
    return [
        {
            "reference": d.proposal.activity.reference if d.proposal.activity else "",
            "title": d.proposal.title,
            "outcome": d.get_outcome_display(),
            "body": d.get_body_display(),
            "meeting": str(d.meeting) if d.meeting else "",
            "date": formats.date_format(d.decided_on, "DATE_FORMAT"),
        }
        for d in Decision.objects.filter(outcome="adopted", proposal__activity__isnull=False)
        .filter(
            Q(proposal__activity__start_date__year=year)
            | Q(proposal__activity__annual_entries__annual_programme=ap)
        )
        .select_related("proposal__activity", "meeting")
        .distinct()
        .order_by("decided_on")
    ]
