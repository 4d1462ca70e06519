"""What the evaluation's pages share: the permission gate and the activity they hang on."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from activities import selectors as activity_selectors
from activities.models import Activity
from pompidou.rules import Verdict

from .. import permissions


def gate(verdict: Verdict) -> None:
    """A refusal by role is a 403 page with its reason. A refusal by the record's state
    (an accepted report, a closed request) is left to the service, whose DomainError
    the page shows as a form error (400)."""
    if not verdict and not getattr(verdict, "state", False):
        raise PermissionDenied(str(getattr(verdict, "reason", "")))


def activity_for(request: HttpRequest, reference: str) -> Activity:
    activity = activity_selectors.get_activity_for_user(request.user, reference)
    gate(permissions.can_view_activity_evaluation(request.user, activity))
    return activity


def back_to(activity: Activity, anchor: str) -> HttpResponseRedirect:
    return redirect(reverse("evaluation:activity", args=[activity.reference]) + f"#{anchor}")
