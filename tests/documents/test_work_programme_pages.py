"""The work programme's "Compile" button and its compiled files on the programme's page:
who may compile, who sees the files, each language's download, a second press while
one runs, and the page's queries whatever the number of compilations."""

import pytest
from django.urls import reverse

from pompidou.jobs import WORK_PROGRAMME
from pompidou.models import WorkProgrammeDocument
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _page(programme, language="en"):
    return f"/{language}/programme/{programme.pk}/"


def test_the_secretariat_compiles_from_the_page_and_downloads_both_languages(
    programme, secretariat, media
):
    client = client_for(secretariat)
    page = client.get(_page(programme)).content.decode()
    assert 'data-testid="compile"' in page and "Not compiled yet." in page
    response = client.post(reverse("programme:compile", args=[programme.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/programme/{programme.pk}/#wp-documents")
    document = WorkProgrammeDocument.objects.get(work_programme=programme)
    assert document.status == "queued"
    assert 'data-testid="running-job"' in client.get(_page(programme)).content.decode()
    # The worker's side of the job, here in process (the queue is not involved).
    assert WORK_PROGRAMME.run(document.pk) == "succeeded"
    page = client.get(_page(programme)).content.decode()
    assert f'data-testid="latest-reference">{document.reference}<' in page
    for language in ("en", "fr"):
        for kind, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
            url = reverse("programme:download", args=[programme.pk, document.pk, kind])
            got = client.get(f"{url}?language={language}")
            assert got.status_code == 200
            assert got["Content-Language"] == language
            assert b"".join(got.streaming_content).startswith(magic)
    job_page = client.get(reverse("programme:document", args=[programme.pk, document.pk]))
    assert document.reference in job_page.content.decode()


def test_pressing_compile_again_while_one_runs_returns_that_one(programme, secretariat, media):
    from programme.documents_services import work_programme_compile

    first, created = work_programme_compile(work_programme=programme, actor=secretariat)
    WorkProgrammeDocument.objects.filter(pk=first.pk).update(status="running")
    again, created_again = work_programme_compile(work_programme=programme, actor=secretariat)
    assert created and not created_again and again.pk == first.pk
    assert WorkProgrammeDocument.objects.count() == 1


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_compiles(persona, personas, programme, media):
    client = client_for(personas[persona], raise_request_exception=False)
    response = client.post(reverse("programme:compile", args=[programme.pk]))
    assert response.status_code == 403
    assert not WorkProgrammeDocument.objects.exists()
    assert 'data-testid="compile"' not in client.get(_page(programme)).content.decode()


def test_anonymous_cannot_compile(programme, media):
    response = client_for(None).post(reverse("programme:compile", args=[programme.pk]))
    assert response.status_code in (302, 403)
    assert not WorkProgrammeDocument.objects.exists()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("secretariat", True),
        ("pc_fr", True),
        ("bureau_chair", True),
        ("expert", True),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_members_see_the_compiled_files_others_do_not(
    persona, sees, personas, programme, secretariat, media
):
    document = _succeeded(programme, secretariat)
    client = client_for(personas[persona], raise_request_exception=False)
    page = client.get(_page(programme))
    assert page.status_code == 200  # the programme itself is public
    assert ('data-testid="wp-documents"' in page.content.decode()) is sees
    url = reverse("programme:download", args=[programme.pk, document.pk, "pdf"])
    status = client.get(url).status_code
    assert status == 200 if sees else status in (302, 403)


def test_a_download_before_the_files_exist_says_so(programme, secretariat, media):
    from programme.documents_services import work_programme_compile

    document, _ = work_programme_compile(work_programme=programme, actor=secretariat)
    WorkProgrammeDocument.objects.filter(pk=document.pk).update(status="running")
    url = reverse("programme:download", args=[programme.pk, document.pk, "pdf"])
    response = client_for(secretariat, raise_request_exception=False).get(url)
    assert response.status_code == 404


def _succeeded(programme, secretariat):
    """A compilation already done, without building it (its files are two bytes)."""
    from django.core.files.base import ContentFile

    from pompidou.jobs import new_attempt

    document = WorkProgrammeDocument.objects.create(
        work_programme=programme,
        reference=f"P-PG (2026) {WorkProgrammeDocument.objects.count() + 90}",
        document_date="2026-01-05",
        requested_by=secretariat,
        status="succeeded",
        attempt=new_attempt(),
    )
    for field in ("pdf", "docx", "pdf_fr", "docx_fr"):
        getattr(document, field).save(f"x.{field[:4].strip('_')}", ContentFile(b"%PDF"), save=False)
    document.save()
    return document


def test_the_page_costs_the_same_queries_with_one_or_three_compilations(
    programme, secretariat, media, django_assert_num_queries
):
    client = client_for(secretariat)
    _succeeded(programme, secretariat)
    client.get(_page(programme))  # warm the session and the caches
    with django_assert_num_queries(QUERIES) as one:
        client.get(_page(programme))
    _succeeded(programme, secretariat)
    _succeeded(programme, secretariat)
    with django_assert_num_queries(QUERIES) as three:
        client.get(_page(programme))
    assert len(one.captured_queries) == len(three.captured_queries)


# The programme's page for the Secretariat: the page's own 19 (session, user, roles,
# the programme with its texts in 7, the other programmes, the navigation's counts)
# and the documents section's 2: the sweep (one query when nothing is stale) and the
# programme's compilations (one query, however many).
QUERIES = 21


def test_the_kind_is_declared_once_for_the_job_machinery():
    from pompidou.jobs import DocumentKind

    assert DocumentKind.of(WorkProgrammeDocument) is WORK_PROGRAMME
