"""The permission matrix of the proposals, as one table (issue 13, point 8, for the
proposals' pages and API): every URL pattern of ``proposals:`` and of the API's
``proposal-`` routes × every role × the object it acts on, the answer each role gets.

A new URL of the proposals without a row fails ``test_every_proposal_url_has_a_row``.
A role refused by role gets 403 or 404 (an object it may not see: never the data), the
anonymous visitor the login page (pages) or 401/403 (API). The pages' POSTs are sent
empty: whoever may act gets past the permission check to the service or the form (a
redirect with its message, or the form again with its errors), never a 500.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from programme.services import account_create
from proposals import services
from tests.conftest import client_as, client_for
from tests.proposals.api import bureau_member
from tests.proposals.factories import draft, full_scores, pdf, submitted

ROLES = (
    "anonymous",
    "secretariat",
    "pc_own",  # PC of the proposing state (France)
    "pc_other",  # PC of another state (Germany)
    "bureau_own",  # Bureau member of the proposing state
    "bureau_other",  # another Bureau member (the Norwegian chair)
    "assessor",  # the expert assigned to the proposal
    "expert",  # an expert not assigned
)
LOGIN, DENIED = "login", "denied"  # the login page; 401, 403 or 404


def _everyone(**answers):
    """A row's answers: the portal's members get ``ok`` unless named."""
    ok = answers.pop("ok", 200)
    return {role: answers.get(role, ok) for role in ROLES if role != "anonymous"} | {
        "anonymous": answers.get("anonymous", LOGIN)
    }


def _only(allowed: dict, *, anonymous=LOGIN, others=DENIED):
    return {role: allowed.get(role, others) for role in ROLES if role != "anonymous"} | {
        "anonymous": anonymous
    }


API_ANON = DENIED  # without credentials the API refuses (401 or 403), never the data

# name → (method, the object, answers by role). Objects: "assessing" (French, under
# assessment, the expert has submitted), "draft" (French), "urgent" (French, in the
# Bureau's vote), plus the support and the attachments they carry.
TABLE = {
    # --- pages ----------------------------------------------------------------------
    "proposals:list": ("get", None, _everyone()),
    "proposals:create": (
        "get",
        None,
        _only({"pc_own": 200, "pc_other": 200, "bureau_own": 200, "bureau_other": 200}),
    ),
    "proposals:ranking": (
        "get",
        "ranking",
        _only({"secretariat": 200, "bureau_own": 200, "bureau_other": 200}),
    ),
    "proposals:urgent": (
        "get",
        None,
        _only({"secretariat": 200, "bureau_own": 200, "bureau_other": 200}),
    ),
    "proposals:detail": ("get", "assessing", _everyone()),
    "proposals:edit": ("get", "draft", _only({"pc_own": 200, "bureau_own": 200})),
    "proposals:submit": ("post", "draft", _only({"pc_own": 302, "bureau_own": 302})),
    "proposals:withdraw": ("post", "assessing", _only({"pc_own": 302, "bureau_own": 302})),
    "proposals:support": (
        "post",
        "assessing",
        # The Secretariat's form names the delegation (400 empty); the proposing
        # state's own PCs are told why not (a message on the page).
        _only(
            {
                "secretariat": 400,
                "pc_other": 302,
                "bureau_other": 302,
                "pc_own": 302,
                "bureau_own": 302,
            }
        ),
    ),
    "proposals:support_withdraw": (
        "post",
        "support",
        _only({"secretariat": 302, "pc_other": 302}),
    ),
    "proposals:attachment_add": ("post", "draft", _only({"pc_own": 400, "bureau_own": 400})),
    # The draft's document: its delegation and the Secretariat, as the draft.
    "proposals:attachment": (
        "get",
        "attachment",
        _only({"secretariat": 200, "pc_own": 200, "bureau_own": 200}),
    ),
    "proposals:attachment_remove": (
        "post",
        "draft_attachment",
        _only({"pc_own": 302, "bureau_own": 302}),
    ),
    "proposals:assign": ("post", "assessing", _only({"secretariat": 400})),
    "proposals:assessment": ("get", "assessing", _only({"assessor": 200})),
    "proposals:decide": ("post", "assessing", _only({"secretariat": 400})),
    # The French Bureau member is recused from France's urgent proposal.
    "proposals:vote": ("post", "urgent", _only({"bureau_other": 302})),
    # --- API --------------------------------------------------------------------------
    "proposal-list": ("get", None, _everyone(anonymous=API_ANON)),
    "proposal-detail": ("get", "assessing", _everyone(anonymous=API_ANON)),
    "proposal-submit": (
        "post",
        "draft",
        _only({"pc_own": 200, "bureau_own": 200}, anonymous=API_ANON),
    ),
    "proposal-withdraw": (
        "post",
        "assessing",
        _only({"pc_own": 200, "bureau_own": 200}, anonymous=API_ANON),
    ),
    "proposal-supports": (
        "post",
        "assessing",
        _only(
            {
                # Germany supports it already (400); Norway's chair adds Norway's.
                "secretariat": 400,
                "pc_other": 400,
                "bureau_other": 201,
                "pc_own": 400,
                "bureau_own": 400,
            },
            anonymous=API_ANON,
        ),
    ),
    "proposal-support": (
        "delete",
        "support",
        _only({"secretariat": 204, "pc_other": 204}, anonymous=API_ANON),
    ),
    "proposal-attachments": ("get", "assessing", _everyone(anonymous=API_ANON)),
    "proposal-attachment": (
        "get",
        "attachment",
        _only({"secretariat": 200, "pc_own": 200, "bureau_own": 200}, anonymous=API_ANON),
    ),
    "proposal-assessors": ("post", "assessing", _only({"secretariat": 400}, anonymous=API_ANON)),
    # Conflict of interest: not the proposing state's Bureau member.
    "proposal-assessments": (
        "get",
        "assessing",
        _only({"secretariat": 200, "bureau_other": 200, "assessor": 200}, anonymous=API_ANON),
    ),
    "proposal-score": (
        "get",
        "assessing",
        _only({"secretariat": 200, "bureau_other": 200, "assessor": 200}, anonymous=API_ANON),
    ),
    "proposal-decision": ("post", "assessing", _only({"secretariat": 400}, anonymous=API_ANON)),
    "proposal-bureau-votes": (
        "post",
        "urgent",
        _only({"bureau_other": 400}, anonymous=API_ANON),
    ),
}


def _names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(
                p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else "")
            )
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name


def test_every_proposal_url_has_a_row():
    names = {
        n
        for n in _names(get_resolver().url_patterns)
        if n.startswith("proposals:") or n.startswith("proposal-")
    }
    assert names - TABLE.keys() == set(), "a URL of the proposals without a row in TABLE"
    assert TABLE.keys() - names == set(), "a row of TABLE for no URL"


@pytest.fixture
def world(personas, programme, media):
    sec, pc_fr, pc_de = personas["secretariat"], personas["pc_fr"], personas["pc_de"]
    users = {
        "anonymous": AnonymousUser(),
        "secretariat": sec,
        "pc_own": pc_fr,
        "pc_other": pc_de,
        "bureau_own": bureau_member("bureau_fr", "FR"),
        "bureau_other": personas["bureau_chair"],
        "assessor": personas["expert"],
        "expert": account_create(
            username="expert_b", role="expert", password="x" * 12, validate=False
        ),
    }
    assessing = submitted(pc_fr, programme, title="Under assessment")
    support = services.support_add(proposal=assessing, actor=pc_de)
    assessment = services.assessor_assign(
        proposal=assessing, assessor=personas["expert"], actor=sec
    )
    services.assessment_save(
        assessment=assessment, actor=personas["expert"], scores=full_scores(assessing), submit=True
    )
    fr_draft = draft(pc_fr, programme, title="Draft")
    attachment = services.attachment_add(
        proposal=fr_draft, actor=pc_fr, file=pdf(), title="Terms of reference"
    )
    urgent = submitted(
        pc_fr, programme, title="Urgent", route="urgent", year=None, urgency_justification="Now."
    )
    assessing.refresh_from_db()
    objects = {
        "assessing": (assessing.pk,),
        "draft": (fr_draft.pk,),
        "urgent": (urgent.pk,),
        "ranking": (2017,),
        "support": (assessing.pk, support.pk),
        "attachment": (fr_draft.pk, attachment.pk),
        "draft_attachment": (fr_draft.pk, attachment.pk),
    }
    return users, objects, {"support_code": "DE", "dates": dt.date(2017, 1, 1)}


def _address(name, target, objects, extra):
    from django.urls import reverse

    args = objects[target] if target else ()
    if name == "proposal-support":
        args = (args[0], extra["support_code"])
    if name.startswith("proposals:"):
        return reverse(name, args=args).replace("/fr/", "/en/")
    return reverse(name, kwargs=dict(zip(_API_KWARGS.get(name, ("pk",)), args, strict=False)))


_API_KWARGS = {
    "proposal-support": ("pk", "code"),
    "proposal-attachment": ("pk", "attachment_id"),
}


def _outcome(response, *, page: bool) -> object:
    if page and response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    if response.status_code in (401, 403, 404):
        return DENIED
    return response.status_code


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_role_gets_the_answer_of_the_table(world, name):
    users, objects, extra = world
    method, target, answers = TABLE[name]
    page = name.startswith("proposals:")
    address = _address(name, target, objects, extra)
    seen = {}
    for role in ROLES:
        user = None if role == "anonymous" else users[role]
        # Each role meets the same world: what one role's request changed (a
        # submission, a withdrawal) is rolled back before the next one asks.
        with transaction.atomic():
            if page:
                response = getattr(client_for(user), method)(address)
            elif method == "get":
                response = client_as(user).get(address)
            else:
                response = getattr(client_as(user), method)(address, {}, format="json")
            transaction.set_rollback(True)
        seen[role] = _outcome(response, page=page)
    assert seen == answers
