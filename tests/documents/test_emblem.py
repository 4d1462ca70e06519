"""The emblem on the documents' covers: checked by its bytes, set by the Secretariat
in the back office, printed on the PDF's and the Word file's cover."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pompidou.lib.documents import Docx, html_to_pdf
from pompidou.lib.emblem import current_emblem, read_emblem
from pompidou.models import DocumentSettings
from tests.conftest import client_for

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">'
    b'<rect width="120" height="60" fill="#22aa66"/></svg>'
)


def _png(width: int = 64, height: int = 64, kind: str = "PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "content_type", "proportions"),
    [
        (_png(80, 40), "emblem.png", "image/png", 2.0),
        (_png(64, 64, "JPEG"), "emblem.jpeg", "image/jpeg", 1.0),
        (SVG, "emblem.svg", "image/svg+xml", 2.0),
    ],
)
def test_a_png_a_jpeg_and_an_svg_are_accepted(content, name, content_type, proportions):
    emblem = read_emblem(content, name)
    assert emblem.content_type == content_type
    assert emblem.width / emblem.height == proportions


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"just text", "emblem.png", "PNG, JPEG or SVG"),
        (_png(), "emblem.svg", "its name must end in .png"),
        (_png(8, 8), "emblem.png", "between 32 and 4000 pixels"),
        (_png()[:40], "emblem.png", "damaged"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024), "emblem.png", "the limit is 1,024 kB"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<image xlink:href="file:///etc/passwd"/></svg>',
            "emblem.svg",
            "self-contained",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(http://x.test/a)"/></svg>',
            "emblem.svg",
            "self-contained",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "emblem.svg",
            "scripts",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "emblem.svg",
            "DOCTYPE",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "emblem.svg", "well-formed"),
    ],
)
def test_anything_else_is_refused_with_the_reason(content, name, message):
    with pytest.raises(ValidationError) as refused:
        read_emblem(content, name)
    assert message in " ".join(refused.value.messages)


@pytest.mark.django_db
def test_without_a_setting_the_covers_carry_the_neutral_emblem():
    emblem = current_emblem()
    assert emblem.content_type == "image/png" and emblem.width == emblem.height == 240


@pytest.mark.django_db
def test_the_secretariat_sets_the_emblem_in_the_back_office_and_the_covers_print_it(
    secretariat, media
):
    client = client_for(secretariat)
    listing = client.get("/en/admin/pompidou/documentsettings/")
    assert listing.status_code == 200 and "/documentsettings/add/" in listing.content.decode()
    add = "/en/admin/pompidou/documentsettings/add/"
    assert "Emblem printed today" in client.get(add).content.decode()
    png = _png(96, 32)
    response = client.post(add, {"emblem": SimpleUploadedFile("ours.png", png, "image/png")})
    assert response.status_code == 302
    assert DocumentSettings.objects.get().pk == DocumentSettings.SINGLETON
    assert current_emblem().content == png
    # One row: it is changed, never added again.
    assert client.get(add).status_code == 403
    change = f"/en/admin/pompidou/documentsettings/{DocumentSettings.SINGLETON}/change/"
    png = _png(96, 48)
    client.post(change, {"emblem": SimpleUploadedFile("ours.png", png, "image/png")})
    assert current_emblem().content == png

    # The Word cover shows it (first picture of the file) and so does the PDF's.
    docx = Docx("Title", "P-PG (2026) 1", "1 December 2026").to_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        media_parts = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert [archive.read(n) for n in media_parts] == [png]
    from pypdf import PdfReader

    from activities.documents import Cover

    pdf = html_to_pdf(
        "documents/base.html", {"cover": Cover("Title", "P-PG (2026) 1", "1 December 2026")}
    )
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1 and images[0].image.size == (96, 48)


@pytest.mark.django_db
def test_an_emblem_too_large_is_refused_for_its_size_even_cut_off_by_the_upload_handler():
    from pompidou.lib.emblem import validate_emblem
    from pompidou.uploads import OversizedUpload

    with pytest.raises(ValidationError) as refused:
        validate_emblem(OversizedUpload("big.png", "image/png", 11 * 1024 * 1024))
    assert "the limit is 1,024 kB" in refused.value.messages[0]


@pytest.mark.django_db
def test_a_bad_emblem_is_refused_on_the_form_and_changes_nothing(secretariat, media):
    client = client_for(secretariat)
    client.post(
        "/en/admin/pompidou/documentsettings/add/",
        {"emblem": SimpleUploadedFile("ours.png", _png(), "image/png")},
    )
    change = f"/en/admin/pompidou/documentsettings/{DocumentSettings.SINGLETON}/change/"
    before = DocumentSettings.objects.get().emblem.name
    response = client.post(
        change,
        {"emblem": SimpleUploadedFile("logo.svg", b"<html>not an svg</html>", "image/svg+xml")},
    )
    assert response.status_code == 200
    assert "PNG, JPEG or SVG" in response.content.decode()
    assert DocumentSettings.objects.get().emblem.name == before


@pytest.mark.django_db
def test_an_svg_emblem_goes_into_the_word_file_as_svg(secretariat, media):
    DocumentSettings.objects.create(
        pk=DocumentSettings.SINGLETON, emblem=SimpleUploadedFile("e.svg", SVG)
    )
    docx = Docx("Title", "P-PG (2026) 1", "1 December 2026").to_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        svgs = [n for n in archive.namelist() if n.endswith(".svg")]
        assert [archive.read(n) for n in svgs] == [SVG]
        assert "asvg:svgBlip" in archive.read("word/document.xml").decode()


@pytest.mark.parametrize("persona", ["pc_fr", "bureau_chair", "expert", "outsider"])
@pytest.mark.django_db
def test_no_one_but_the_secretariat_changes_the_emblem(personas, persona):
    response = client_for(personas[persona]).get("/en/admin/pompidou/documentsettings/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_an_svg_emblem_is_drawn_on_the_pdf_cover(media, tmp_path):
    import subprocess

    from PIL import Image

    from activities.documents import Cover

    DocumentSettings.objects.create(
        pk=DocumentSettings.SINGLETON, emblem=SimpleUploadedFile("e.svg", SVG)
    )
    pdf = html_to_pdf(
        "documents/base.html", {"cover": Cover("Title", "P-PG (2026) 1", "1 December 2026")}
    )
    (tmp_path / "cover.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", "cover.pdf", "cover"],
        cwd=tmp_path,
        check=True,
    )
    with Image.open(next(tmp_path.glob("cover*.png"))) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    # The SVG's own green (#22aa66), as a rectangle of some hundreds of pixels.
    green = sum(n for n, (r, g, b) in colours if abs(r - 0x22) + abs(g - 0xAA) + abs(b - 0x66) < 30)
    assert green > 300
