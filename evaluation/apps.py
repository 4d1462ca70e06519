from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from pompidou.notices import register_kind

        # The notices this app sends (their labels on the preferences page).
        register_kind("feedback_requested", _("A feedback request"))
        register_kind("progress_report_due", _("A progress report overdue"))
        register_kind("feedback_due", _("A feedback deadline near"))
