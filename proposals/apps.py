from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from activities.documents import register_decision_source
        from pompidou.notices import register_kind

        from .documents import adoption_decisions

        register_decision_source(adoption_decisions)

        # The notices proposals sends (pompidou/notices.py): the steps of a proposal
        # (proposals/notifications.py), comments, and the deadline reminders
        # (proposals/deadlines.py).
        from .notifications import register_kinds

        register_kinds()
        register_kind("comment", _("A comment on a proposal you take part in"))
        register_kind("mention", _("You were mentioned in a comment"))
        register_kind("deadline_support", _("Supports closing soon"))
        register_kind("deadline_assessment", _("Assessments due soon"))
        register_kind("deadline_vote", _("Bureau votes closing soon"))
        # proposals/handover.py: an activity carried over, a proposal moved.
        register_kind(
            "programme_handover", _("Your activity or proposal moved to the new work programme")
        )
