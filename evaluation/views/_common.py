"""What the evaluation's pages share: the permission gate and the activity they hang on."""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from activities import selectors as activity_selectors
from activities.models import Activity
from pompidou.rules import gate  # noqa: F401  (the views import it from here)

from .. import permissions


def activity_for(request: HttpRequest, reference: str) -> Activity:
    activity = activity_selectors.get_activity_for_user(request.user, reference)
    gate(permissions.can_view_activity_evaluation(request.user, activity))
    return activity


def back_to(activity: Activity, anchor: str) -> HttpResponseRedirect:
    return redirect(reverse("evaluation:activity", args=[activity.reference]) + f"#{anchor}")
