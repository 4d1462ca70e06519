from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from activities.documents import register_decision_source

        from .documents import adoption_decisions

        register_decision_source(adoption_decisions)

        from .notifications import register_kinds

        register_kinds()
