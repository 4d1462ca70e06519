"""Checks of uploaded documents: size, and type by content (never by file name)."""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sniff_document_type(upload) -> str | None:
    """PDF or DOCX from the bytes themselves; None for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def validate_document(upload) -> None:
    """Refuse files over 10 MB and files that are not really PDF or DOCX."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is 10 MB.") % {"size": upload.size / 2**20},
            code="too_large",
        )
    if sniff_document_type(upload) is None:
        raise ValidationError(
            _(
                "Only PDF and Word (.docx) documents are accepted; this file is neither, "
                "whatever its name says."
            ),
            code="bad_type",
        )
