"""After the Secretariat erases an account, no page, API answer, export or compiled
document shows the person's name, username or e-mail, and every count and decision
is as before. The service's refusals and what it deletes."""

import io
import json
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import erasure
from evaluation.models import FeedbackInvitation, FeedbackResponse
from meetings import services as meeting_services
from pompidou.errors import DomainError, PermissionDenied
from pompidou.models import AuditEvent, Notice, OutboxMessage
from proposals.models import (
    Assessment,
    BureauVote,
    Comment,
    CriterionScore,
    Decision,
    Proposal,
    Support,
)
from tests.accounts.conftest import EMAIL, NAME, USERNAME
from tests.conftest import _persona, client_as, client_for
from tests.documents.helpers import pdf_text

TRACES = (NAME, "Solberg", EMAIL, USERNAME)


def traces(text: str) -> list[str]:
    return [t for t in TRACES if t.lower() in text.lower()]


def pages(world, secretariat, pc_fr):
    adopted, urgent, own = world["adopted"], world["urgent"], world["own"]
    activity = adopted.activity
    as_secretariat = client_for(secretariat)
    urls = [
        reverse("proposals:detail", args=[adopted.pk]),
        reverse("proposals:detail", args=[urgent.pk]),
        reverse("proposals:detail", args=[own.pk]),
        reverse("proposals:list"),
        reverse("proposals:ranking", args=[2017]),
        reverse("proposals:urgent"),
        reverse("activities:detail", args=[activity.reference]),
        reverse("activities:detail", args=[world["activity"].reference]),
        reverse("evaluation:activity", args=[world["activity"].reference]),
        reverse("meetings:detail", args=[world["meeting"].pk]),
        reverse("meetings:decisions", args=[world["meeting"].pk]),
        reverse("meetings:detail", args=[world["next_meeting"].pk]),
        reverse("bureau"),
    ]
    out = {url: as_secretariat.get(url) for url in urls}
    out["inbox of pc_fr"] = client_for(pc_fr).get(reverse("inbox"))
    for key, response in out.items():
        assert response.status_code == 200, key
    return {key: response.content.decode() for key, response in out.items()}


def api_answers(world, secretariat, pc_fr):
    adopted, urgent = world["adopted"], world["urgent"]
    api = client_as(secretariat)
    paths = [
        f"/api/v1/proposals/{adopted.pk}/",
        f"/api/v1/proposals/{adopted.pk}/comments/",
        f"/api/v1/proposals/{adopted.pk}/score/",
        f"/api/v1/proposals/{urgent.pk}/",
        f"/api/v1/proposals/{world['own'].pk}/",
        "/api/v1/proposals/",
        f"/api/v1/activities/{adopted.activity.reference}/",
        f"/api/v1/activities/{world['activity'].reference}/",
        f"/api/v1/meetings/{world['meeting'].pk}/",
        "/api/v1/feedback-requests/",
    ]
    out = {path: api.get(path) for path in paths}
    out["notices of pc_fr"] = client_as(pc_fr).get("/api/v1/notices/")
    for key, response in out.items():
        assert response.status_code == 200, (key, response.content[:300])
    return {key: response.content.decode() for key, response in out.items()}


def exports(secretariat):
    api = client_as(secretariat)
    csv = api.get("/api/v1/activities/export/?fmt=csv")
    xlsx = api.get("/api/v1/activities/export/?fmt=xlsx")
    assert csv.status_code == xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row)
    return {"csv": b"".join(csv.streaming_content).decode(), "xlsx": cells}


def counts(world, secretariat):
    adopted = world["adopted"]
    return {
        "supports": Support.objects.filter(proposal=adopted).count(),
        "assessments": Assessment.objects.filter(proposal=adopted, status="submitted").count(),
        "scores": sorted(CriterionScore.objects.values_list("assessment_id", "score")),
        "votes": list(BureauVote.objects.values_list("proposal_id", "vote")),
        "decisions": list(Decision.objects.order_by("pk").values_list("proposal_id", "outcome")),
        "statuses": list(Proposal.objects.order_by("pk").values_list("pk", "status")),
        "comments": Comment.objects.count(),
        "responses": FeedbackResponse.objects.count(),
        "score": _numbers(
            client_as(secretariat).get(f"/api/v1/proposals/{adopted.pk}/score/").json()
        ),
    }


def _numbers(score):
    """The score's figures, the assessor's username (which becomes the pseudonym) aside."""
    return re.sub(rf"{USERNAME}|former-[0-9a-f]{{6}}", "ASSESSOR", json.dumps(score))


def _refresh(world):
    for obj in world.values():
        obj.refresh_from_db()


def test_after_erasure_nothing_names_the_delegate_and_every_count_stays(
    world, delegate, secretariat, pc_fr, media, django_capture_on_commit_callbacks
):
    before_pages = pages(world, secretariat, pc_fr)
    before_api = api_answers(world, secretariat, pc_fr)
    before = counts(world, secretariat)
    # The test can fail: before the erasure the name is there.
    assert traces(" ".join(before_pages.values())) == list(TRACES)
    assert set(traces(" ".join(before_api.values()))) >= {NAME, USERNAME}

    erasure.account_erase(delegate, by=secretariat, reason="Left the Bureau, asked for it.")
    _refresh(world)

    for key, html in pages(world, secretariat, pc_fr).items():
        assert traces(html) == [], key
    for key, body in api_answers(world, secretariat, pc_fr).items():
        assert traces(body) == [], key
    for key, body in exports(secretariat).items():
        assert traces(body) == [], key
    assert counts(world, secretariat) == before
    shown = erasure.pseudonym(delegate)
    assert (
        shown
        in pages(world, secretariat, pc_fr)[reverse("proposals:detail", args=[world["own"].pk])]
    )

    with django_capture_on_commit_callbacks(execute=True):  # the compile task, in process
        document, _ = meeting_services.decision_list_compile(
            meeting=world["meeting"], actor=secretariat
        )
    document.refresh_from_db()
    assert document.status == "succeeded"
    for kind in ("pdf", "pdf_fr"):
        text = pdf_text(getattr(document, kind).read())
        assert "83" in text  # the meeting's list, in both languages
        assert traces(text) == []


def test_no_table_keeps_the_name_as_text(world, delegate, secretariat):
    erasure.account_erase(delegate, by=secretariat, reason="Asked for it.")
    for label, fields in erasure.TEXT_FIELDS:
        from django.apps import apps

        for row in apps.get_model(label)._default_manager.values(*fields):
            assert traces(str(row)) == [], (label, row)
    assert traces(str(list(FeedbackInvitation.objects.values()))) == []
    kari = FeedbackInvitation.objects.get(email="kari@example.no")
    assert kari.name == "Kari Nordmann"  # another invitee is left alone


def test_the_pseudonym_is_stable_and_not_derived_from_the_name(delegate, pc_de, settings):
    first = erasure.pseudonym(delegate)
    delegate.first_name = "Someone else"
    assert erasure.pseudonym(delegate) == first
    assert erasure.pseudonym(pc_de) != first
    assert "Solberg" not in first and first.startswith("Former member ")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert erasure.pseudonym(delegate) != first


def test_erasure_deactivates_and_deletes_what_served_only_the_person(world, delegate, secretariat):
    Token.objects.create(user=delegate)
    TOTPDevice.objects.create(user=delegate, name="portal", confirmed=True)
    client_for(delegate).get(reverse("inbox"))  # a session
    sessions = Session.objects.count()
    assert Notice.objects.filter(user=delegate).exists()
    erasure.account_erase(delegate, by=secretariat, reason="Asked for it.")
    delegate.refresh_from_db()
    assert not delegate.is_active and not delegate.has_usable_password()
    assert delegate.email == "" and delegate.username == erasure.pseudonym_username(delegate)
    assert delegate.get_full_name() == erasure.pseudonym(delegate)
    assert not Token.objects.filter(user=delegate).exists()
    assert not TOTPDevice.objects.filter(user=delegate).exists()
    assert not Notice.objects.filter(user=delegate).exists()
    assert Session.objects.count() == sessions - 1
    assert client_for(None).login(username=USERNAME, password="persona-pass-4821") is False


def test_the_erasure_is_in_the_history_without_the_name(world, delegate, secretariat):
    erasure.account_erase(delegate, by=secretariat, reason=f"{NAME} asked for it.")
    event = AuditEvent.objects.filter(object_id=delegate.pk, changes__has_key="erased").get()
    assert event.actor == secretariat
    assert event.comment == f"{erasure.pseudonym(delegate)} asked for it."
    assert traces(str(event.__dict__)) == []
    # The events by the delegate are kept, pointing at the account.
    assert AuditEvent.objects.filter(actor=delegate, kind="vote").count() == 1


@pytest.mark.parametrize(
    "who, message",
    [
        ("pc_fr", "Only the Secretariat erases"),
        ("bureau_chair", "Only the Secretariat erases"),
    ],
)
def test_only_the_secretariat_erases(request, delegate, pc_de, who, message):
    with pytest.raises(PermissionDenied, match=message):
        erasure.account_erase(pc_de, by=request.getfixturevalue(who), reason="x")
    pc_de.refresh_from_db()
    assert pc_de.is_active and pc_de.username == "pc_de"


def test_the_secretariat_cannot_erase_itself(secretariat):
    with pytest.raises(DomainError, match="your own account"):
        erasure.account_erase(secretariat, by=secretariat, reason="Leaving.")
    secretariat.refresh_from_db()
    assert secretariat.is_active


def test_the_last_secretariat_member_is_not_erased(secretariat, states):
    from tests.programme.factories import UserFactory

    admin = UserFactory(username="admin", is_superuser=True)
    with pytest.raises(DomainError, match="last Secretariat member"):
        erasure.account_erase(secretariat, by=admin, reason="Leaving.")
    second = _persona("secretariat2", "secretariat")
    erasure.account_erase(secretariat, by=second, reason="Leaving.")  # not the last any more
    with pytest.raises(DomainError, match="last Secretariat member"):
        erasure.account_erase(second, by=admin, reason="Leaving.")


def test_a_reason_is_required_and_nothing_changes_without_it(delegate, secretariat):
    with pytest.raises(DomainError) as error:
        erasure.account_erase(delegate, by=secretariat, reason="  ")
    assert error.value.errors == {"reason": ["Say why the account is erased."]}
    delegate.refresh_from_db()
    assert delegate.is_active and delegate.username == USERNAME


def test_an_account_is_erased_once(delegate, secretariat):
    erasure.account_erase(delegate, by=secretariat, reason="Asked.")
    with pytest.raises(DomainError, match="already been erased"):
        erasure.account_erase(delegate, by=secretariat, reason="Again.")


def test_a_failure_half_way_changes_nothing(world, delegate, secretariat, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure, "_delete_sessions", broken)
    with pytest.raises(RuntimeError):
        erasure.account_erase(delegate, by=secretariat, reason="Asked.")
    delegate.refresh_from_db()
    assert delegate.username == USERNAME and delegate.email == EMAIL
    assert Notice.objects.filter(user=delegate).exists()
    assert Comment.objects.filter(body__contains=f"@{USERNAME}").exists()


def test_an_invitee_who_answered_through_a_link_is_erased(world, secretariat):
    invitation = FeedbackInvitation.objects.get(email="kari@example.no")
    assert invitation.response is not None
    count = erasure.invitee_erase("KARI@example.no", by=secretariat, reason="Asked by e-mail.")
    assert count == 1
    invitation.refresh_from_db()
    assert invitation.name.startswith("Former invitee ")
    assert "kari" not in invitation.email
    assert invitation.response.usefulness == 5  # the answer stays
    response = client_for(secretariat).get(
        reverse("evaluation:activity", args=[world["activity"].reference])
    )
    html = response.content.decode()
    assert "Kari" not in html and invitation.name in html
    assert not FeedbackResponse.objects.filter(comments__contains="Kari").exists()
    assert FeedbackResponse.objects.count() == 2


def test_invitee_erasure_refuses_bad_input_with_its_field(world, secretariat, pc_fr):
    with pytest.raises(DomainError) as error:
        erasure.invitee_erase("", by=secretariat, reason="")
    assert set(error.value.errors) == {"email", "reason"}
    with pytest.raises(DomainError) as error:
        erasure.invitee_erase("nobody@example.org", by=secretariat, reason="x")
    assert set(error.value.errors) == {"email"}
    with pytest.raises(PermissionDenied):
        erasure.invitee_erase("kari@example.no", by=pc_fr, reason="x")
    assert FeedbackInvitation.objects.filter(email="kari@example.no").exists()


def test_outbox_messages_lose_the_address(world, delegate, secretariat):
    OutboxMessage.objects.create(function="x.send", args=[EMAIL], kwargs={"to": NAME})
    erasure.account_erase(delegate, by=secretariat, reason="Asked.")
    message = OutboxMessage.objects.get(function="x.send")
    assert traces(str(message.args) + str(message.kwargs)) == []


def test_a_username_inside_another_word_is_left_alone(db):
    pattern = erasure._pattern(["pc_fr"])
    assert pattern.sub("X", "@pc_fr, pc_free, xpc_fr, pc_fr.") == "@X, pc_free, xpc_fr, X."


def test_the_user_model_rows_stay(world, delegate, secretariat):
    users = get_user_model().objects.count()
    erasure.account_erase(delegate, by=secretariat, reason="Asked.")
    assert get_user_model().objects.count() == users
