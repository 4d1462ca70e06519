from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from activities.documents import register_decision_source

        from .documents import adoption_decisions

        register_decision_source(adoption_decisions)

        # --- deadline reminders (proposals/deadlines.py) ---
        from pompidou.notices import register_kind

        register_kind("deadline_support", _("Supports closing soon"))
        register_kind("deadline_assessment", _("Assessments due soon"))
        register_kind("deadline_vote", _("Bureau votes closing soon"))
        # --- end of deadline reminders ---
