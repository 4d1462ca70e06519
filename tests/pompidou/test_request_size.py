"""Request bodies are bounded: an oversized one is answered 413 before it is read,
an oversized document is refused on its field while it streams, nothing is stored,
and never a 500."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pompidou.lib.files import MAX_DOCUMENT_BYTES, MAX_UPLOAD_REQUEST_BYTES
from pompidou.uploads import DocumentSizeUploadHandler, OversizedUpload
from proposals.models import ProposalAttachment
from tests.conftest import client_for, token_client
from tests.pompidou.test_files import many_parts, real_docx, zeros_bomb, zip_without_document
from tests.proposals.factories import draft

MiB = 1024 * 1024


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def _huge_request(path: str, content_type: str, method="POST", **extra):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": Unreadable(),
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(300 * MiB),
        **extra,
    }
    from django.core.handlers.wsgi import WSGIHandler

    captured = {}

    def start_response(status, headers):
        captured["status"] = status
        captured["headers"] = dict(headers)

    body = b"".join(WSGIHandler()(environ, start_response))
    return int(captured["status"].split()[0]), captured["headers"], body


# --- the whole request ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_300_mb_body_to_the_token_endpoint_is_a_413_in_json_without_being_read():
    status, headers, body = _huge_request("/api/v1/auth/token/", "application/json")
    assert status == 413
    assert headers["Content-Type"] == "application/json"
    assert "larger than the portal accepts" in json.loads(body)["detail"]


@pytest.mark.django_db
def test_a_300_mb_patch_of_a_proposal_is_a_413_without_being_read(pc_fr, programme):
    proposal = draft(pc_fr, programme)
    token = Token.objects.create(user=pc_fr)
    status, _, body = _huge_request(
        f"/api/v1/proposals/{proposal.pk}/",
        "application/json",
        method="PATCH",
        HTTP_AUTHORIZATION=f"Bearer {token.key}",
    )
    assert status == 413 and "detail" in json.loads(body)


@pytest.mark.django_db
def test_a_300_mb_upload_to_a_page_is_the_portals_413_page_without_being_read(pc_fr, programme):
    proposal = draft(pc_fr, programme)
    status, headers, body = _huge_request(
        f"/en/proposals/{proposal.pk}/attachments/", f"{MULTIPART_CONTENT}"
    )
    assert status == 413 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert "What you sent is too large" in page and "at most 10 MB" in page


@pytest.mark.django_db
def test_a_json_body_over_the_memory_limit_is_a_413_json_and_one_under_it_is_read():
    client = APIClient()
    padding = "x" * (3 * MiB)
    response = client.post(
        "/api/v1/auth/token/",
        json.dumps({"username": "a", "password": padding}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "2,560 KB" in response.json()["detail"]
    # Under the limit the endpoint answers as usual: wrong credentials, 400.
    ok = client.post("/api/v1/auth/token/", {"username": "a", "password": "b"}, format="json")
    assert ok.status_code == 400


@pytest.mark.django_db
def test_the_memory_limit_follows_the_setting(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "a", "password": "p" * 2000}, format="json"
    )
    assert response.status_code == 413


@pytest.mark.django_db
def test_a_form_post_over_the_memory_limit_is_a_413_page_not_a_400(settings, pc_fr):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client_for(pc_fr).post("/en/proposals/new/", {"title": "t" * 5000})
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()


# --- one document while it streams ----------------------------------------------------


def _parse(body: bytes, content_type: str):
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    request = WSGIRequest(environ)
    handlers = request.upload_handlers
    return MultiPartParser(request.META, io.BytesIO(body), handlers).parse(), handlers


@pytest.mark.django_db
def test_a_file_past_the_limit_stops_being_stored_at_the_limit(settings):
    content = b"%PDF-" + b"0" * (MAX_DOCUMENT_BYTES + MiB // 2)
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("big.pdf", content)})
    (post, uploaded), handlers = _parse(body, MULTIPART_CONTENT)
    received = uploaded["file"]
    assert isinstance(received, OversizedUpload)
    assert received.size > MAX_DOCUMENT_BYTES and received.read() == b""
    # The handlers after the first one stored no byte past the limit.
    temporary = handlers[-1]
    assert temporary.file.size <= MAX_DOCUMENT_BYTES
    assert isinstance(handlers[0], DocumentSizeUploadHandler)


@pytest.mark.django_db
def test_a_file_under_the_limit_comes_through_whole():
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("t.docx", real_docx())})
    (post, uploaded), _ = _parse(body, MULTIPART_CONTENT)
    assert uploaded["file"].read() == real_docx()


def _big_pdf() -> SimpleUploadedFile:
    # Over the document limit, under the request limit: refused on the field.
    size = MAX_DOCUMENT_BYTES + MiB // 2
    assert size + 1024 < MAX_UPLOAD_REQUEST_BYTES
    return SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * size, "application/pdf")


@pytest.mark.django_db
def test_an_oversized_attachment_on_the_page_is_an_error_on_its_field_and_nothing_is_stored(
    pc_fr, programme, media
):
    proposal = draft(pc_fr, programme)
    response = client_for(pc_fr).post(
        f"/en/proposals/{proposal.pk}/attachments/", {"file": _big_pdf(), "title": "Budget"}
    )
    assert response.status_code == 400
    assert response.context["attachment_form"].errors["file"] == [
        "The file is 10.5 MB; the limit is 10 MB."
    ]
    assert not ProposalAttachment.objects.exists()
    assert not any(media.rglob("*.pdf"))


@pytest.mark.django_db
def test_an_oversized_attachment_through_the_api_is_a_400_on_file_and_nothing_is_stored(
    pc_fr, programme, media
):
    proposal = draft(pc_fr, programme)
    response = token_client(pc_fr).post(
        f"/api/v1/proposals/{proposal.pk}/attachments/", {"file": _big_pdf()}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is 10.5 MB; the limit is 10 MB."]}
    assert not ProposalAttachment.objects.exists()


@pytest.mark.django_db
def test_an_upload_over_the_request_limit_through_the_api_is_a_413_in_json(pc_fr, programme, media):
    proposal = draft(pc_fr, programme)
    huge = SimpleUploadedFile("huge.pdf", b"%PDF-" + b"0" * (MAX_UPLOAD_REQUEST_BYTES + 1))
    response = token_client(pc_fr).post(
        f"/api/v1/proposals/{proposal.pk}/attachments/", {"file": huge}, format="multipart"
    )
    assert response.status_code == 413
    assert "at most 10 MB" in response.json()["detail"]
    assert not ProposalAttachment.objects.exists()


# --- bombs and look-alikes, on the page and in the API ---------------------------------

BAD_WORD_FILES = {
    "a bomb expanding a thousand to one": (zeros_bomb, "compressed more than 200 to 1"),
    "sixty thousand parts": (lambda: many_parts(60_000), "more than 1,000 parts"),
    "a zip without word/document.xml": (zip_without_document, "not a Word document"),
}


@pytest.fixture(scope="module")
def bad_word_files():
    return {case: (make(), words) for case, (make, words) in BAD_WORD_FILES.items()}


@pytest.mark.parametrize("case", BAD_WORD_FILES)
@pytest.mark.django_db
def test_a_dangerous_or_look_alike_word_file_is_refused_on_the_page_and_in_the_api(
    case, bad_word_files, pc_fr, programme, media
):
    content, words = bad_word_files[case]
    proposal = draft(pc_fr, programme)

    page = client_for(pc_fr).post(
        f"/en/proposals/{proposal.pk}/attachments/",
        {"file": SimpleUploadedFile("terms.docx", content), "title": "Terms"},
    )
    assert page.status_code == 400
    assert words in " ".join(page.context["attachment_form"].errors["file"])

    api = token_client(pc_fr).post(
        f"/api/v1/proposals/{proposal.pk}/attachments/",
        {"file": SimpleUploadedFile("terms.docx", content)},
        format="multipart",
    )
    assert api.status_code == 400
    assert words in " ".join(api.json()["file"])
    assert not ProposalAttachment.objects.exists()


@pytest.mark.django_db
def test_a_real_word_document_is_attached_on_the_page(pc_fr, programme, media):
    proposal = draft(pc_fr, programme)
    # Built once: two builds differ in their zip timestamps when a second ticks between.
    content = real_docx()
    response = client_for(pc_fr).post(
        f"/en/proposals/{proposal.pk}/attachments/",
        {"file": SimpleUploadedFile("terms.docx", content), "title": "Terms"},
    )
    assert response.status_code == 302
    attachment = ProposalAttachment.objects.get()
    assert attachment.file.read() == content
