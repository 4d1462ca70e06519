from django.shortcuts import render

from programme import permissions as programme_permissions
from programme.selectors import current_bureau

from .dashboard import sections_for


def dashboard(request):
    return render(request, "dashboard.html", {"sections": sections_for(request.user)})


def bureau(request):
    """The current Bureau: offices, delegations and the areas each member supervises."""
    if not programme_permissions.can_view_bureau(request.user):  # pragma: no cover - login gate
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return render(request, "programme/bureau.html", {"mandates": current_bureau()})
