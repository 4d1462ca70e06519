from django.shortcuts import render

from . import selectors


def proposal_detail(request, pk: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    return render(request, "proposals/proposal_detail.html", {"proposal": proposal})
