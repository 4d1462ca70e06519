"""A document is checked by its bytes: its size, its type, and for a Word document
its archive (parts, expanded size, compression) without extracting anything."""

import io
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pompidou.lib import files
from pompidou.lib.files import validate_document

MiB = 1024 * 1024


def real_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Terms of reference", level=1)
    document.add_paragraph("Training for customs officers on darknet markets.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zeros_bomb(expanded: int = 64 * MiB) -> bytes:
    """A Word-shaped archive whose document part is a run of zeros, deflated about
    1,000 to 1; written in chunks so the test never holds the expanded bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            chunk = b"\0" * MiB
            for _ in range(expanded // MiB):
                part.write(chunk)
    return out.getvalue()


def many_parts(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(count):
            archive.writestr(f"word/media/p{i}.bin", b"x")
    return out.getvalue()


def zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("payload.exe", b"MZ" + b"\0" * 100)
    return out.getvalue()


def upload(content: bytes, name="terms.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=files.DOCX)


def refusal(content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_document(upload(content))
    return caught.value


def test_a_real_word_document_made_by_python_docx_is_accepted():
    validate_document(upload(real_docx()))
    assert files.sniff_document_type(upload(real_docx())) == files.DOCX


def test_a_part_compressed_a_thousand_to_one_is_refused_as_a_bomb():
    content = zeros_bomb()
    assert len(content) < MiB  # small on the wire …
    error = refusal(content)  # … and refused for what it would become
    assert error.code == "suspicious_compression"
    assert "word/document.xml" in error.messages[0] and "200 to 1" in error.messages[0]


def test_an_archive_declaring_more_than_the_expanded_limit_is_refused(monkeypatch):
    # A lowered limit keeps the test light: 64 MB of zeros stand for a gigabyte.
    monkeypatch.setattr(files, "MAX_DOCX_UNCOMPRESSED_BYTES", 32 * MiB)
    error = refusal(zeros_bomb())
    assert error.code == "too_large_expanded"
    assert "would expand to 64 MB; the limit is 32 MB" in error.messages[0]


def test_sixty_thousand_tiny_parts_are_refused_from_the_end_record_alone(monkeypatch):
    content = many_parts(60_000)
    assert len(content) < files.MAX_DOCUMENT_BYTES

    def never(*args, **kwargs):
        raise AssertionError("the directory must not be parsed")

    monkeypatch.setattr(files.zipfile, "ZipFile", never)
    error = refusal(content)
    assert error.code == "too_many_parts"
    assert "more than 1,000 parts" in error.messages[0]


def test_a_thousand_parts_are_still_a_document():
    validate_document(upload(many_parts(files.MAX_DOCX_ENTRIES - 2)))


def test_a_zip_renamed_docx_without_a_word_document_part_is_refused():
    error = refusal(zip_without_document())
    assert error.code == "bad_type"
    assert "not a Word document" in error.messages[0]


def test_a_file_cut_short_after_the_zip_signature_is_refused_as_not_a_document():
    error = refusal(real_docx()[:2000])
    assert error.code == "bad_type"


def test_a_file_over_ten_megabytes_is_refused_by_size_before_anything_is_read():
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * MiB), "application/pdf")
    with pytest.raises(ValidationError) as caught:
        validate_document(big)
    assert caught.value.code == "too_large"
    assert "the limit is 10 MB" in caught.value.messages[0]
