from django.apps import AppConfig


class OverlapConfig(AppConfig):
    """Overlap detection: the activities and open proposals most like a proposal, with
    the passages that match, and the proposer's "builds on" / "not related" marks. Above
    the apps it reads (activities, proposals), below the portal."""

    name = "overlap"
    verbose_name = "Overlap"

    def ready(self) -> None:
        # The rules "overlap.view" and "overlap.mark" ({% can %} asks them by name).
        from django.db.models.signals import post_save

        from . import permissions  # noqa: F401
        from .signals import proposal_saved

        post_save.connect(
            proposal_saved,
            sender="proposals.Proposal",
            dispatch_uid="overlap.proposal_saved",
        )
