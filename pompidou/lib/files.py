"""Checks of uploaded documents: size, and type by content (never by file name).

A Word document is a zip archive, so it is also checked as one before anything
opens it: how many parts it declares, how large they say they expand, and how
hard each is compressed. All of it is read from the archive's directory; nothing
is ever extracted.
"""

import os
import unicodedata
import uuid
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .l10n import number

MiB = 1024 * 1024

# The one limit of a document (terms of reference, a proposal's attachment,
# evaluation evidence). The upload handler, the request-size middleware and the
# web server in front (deploy/nginx.conf) all derive from it.
MAX_DOCUMENT_BYTES = 10 * MiB
# A multipart request carries one document plus the form's other fields.
MAX_UPLOAD_REQUEST_BYTES = MAX_DOCUMENT_BYTES + MiB

# A Word document of ten megabytes holds some dozens of parts that expand to a
# few times its size; these bounds leave room for any real one.
MAX_DOCX_ENTRIES = 1000
MAX_DOCX_UNCOMPRESSED_BYTES = 100 * MiB
MAX_DOCX_RATIO = 200
# Parts smaller than this cannot make a bomb, whatever their ratio.
DOCX_RATIO_FLOOR_BYTES = MiB

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
OCTET_STREAM = "application/octet-stream"

# The one extension each accepted type goes by: an upload's name must end in it
# (a PDF named .html or .svg would be a web page to a browser that trusts the
# name), and the stored name is given it, so a download's type follows from it.
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx"}
CONTENT_TYPES = {extension: content_type for content_type, extension in EXTENSIONS.items()}

_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_MAX_COMMENT = 0xFFFF
# A central-directory record is 46 bytes plus its name; a generous bound per entry.
_DIRECTORY_BYTES_PER_ENTRY = 1024

NOT_A_DOCUMENT = _(
    "Only PDF and Word (.docx) documents are accepted; this file is neither, "
    "whatever its name says."
)


def sniff_document_type(upload: Any) -> str | None:
    """PDF or DOCX from the bytes themselves; None for anything else.

    A zip passes as DOCX only if it is a safe archive holding the parts of a
    Word document (see ``check_docx_archive``).
    """
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            check_docx_archive(upload)
        except ValidationError:
            return None
        return DOCX
    return None


def validate_document(upload: Any) -> None:
    """Refuse files over 10 MB, files that are not really PDF or DOCX, and Word
    documents whose archive is a bomb (too many parts, too large expanded, or
    compressed beyond what text and images ever are)."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": upload.size / MiB, "limit": MAX_DOCUMENT_BYTES // MiB},
            code="too_large",
        )
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        _check_extension(upload, PDF)
        return
    if head.startswith(b"PK\x03\x04"):
        check_docx_archive(upload)
        _check_extension(upload, DOCX)
        return
    raise ValidationError(NOT_A_DOCUMENT, code="bad_type")


def _check_extension(upload: Any, content_type: str) -> None:
    """The name must say what the bytes are: a PDF ends in .pdf, a Word document in
    .docx. Whatever the name says is what a browser or a mail client trusts later."""
    expected = EXTENSIONS[content_type]
    name = os.path.basename(str(getattr(upload, "name", "") or ""))
    actual = os.path.splitext(name)[1].lower()
    if actual == expected:
        return
    kind = _("a PDF document") if content_type == PDF else _("a Word document")
    if actual:
        message = _(
            "This file is %(kind)s but its name ends in %(actual)s; rename it to end in "
            "%(expected)s and upload it again."
        ) % {"kind": kind, "actual": actual[:20], "expected": expected}
    else:
        message = _(
            "This file is %(kind)s but its name has no extension; rename it to end in "
            "%(expected)s and upload it again."
        ) % {"kind": kind, "expected": expected}
    raise ValidationError(message, code="bad_extension")


def content_type_of(stored_name: str) -> str:
    """The type a stored document is served as, from the extension it was stored
    under (checked against its bytes on upload); anything else is a plain download."""
    return CONTENT_TYPES.get(os.path.splitext(stored_name)[1].lower(), OCTET_STREAM)


def original_name(upload: Any) -> str:
    """The uploader's name for a file, kept to name its download: the last path
    segment, without control characters, at most 200 characters (extension kept)."""
    name = os.path.basename(str(getattr(upload, "name", "") or "").replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if len(name) > 200:
        stem, extension = os.path.splitext(name)
        name = stem[: 200 - len(extension)] + extension
    return name


@deconstructible
class GeneratedName:
    """``upload_to`` of a document: ``<folder>/<year>/<random>.<pdf|docx>``. The
    uploader's name never reaches the storage (no guessing, no collisions, no path
    tricks); the extension is the one ``validate_document`` checked."""

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()
        if extension not in CONTENT_TYPES:
            extension = ""
        return f"{self.folder}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GeneratedName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def check_docx_archive(upload: Any) -> None:
    """Raise ValidationError unless ``upload`` is a zip that is safe to open and
    holds the parts of a Word document. Reads only the archive's directory."""
    entries, directory_size = _declared_directory(upload)
    if entries is None:
        raise ValidationError(NOT_A_DOCUMENT, code="bad_type")
    if entries > MAX_DOCX_ENTRIES or directory_size > MAX_DOCX_ENTRIES * _DIRECTORY_BYTES_PER_ENTRY:
        raise ValidationError(
            _(
                "This Word document holds more than %(limit)s parts; a real one holds far "
                "fewer. Save it again from Word, or as PDF."
            )
            % {"limit": number(MAX_DOCX_ENTRIES)},
            code="too_many_parts",
        )
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ValidationError(NOT_A_DOCUMENT, code="bad_type") from None
    finally:
        upload.seek(0)
    names = {info.filename for info in infos}
    if len(infos) > MAX_DOCX_ENTRIES:
        raise ValidationError(
            _("This Word document holds more than %(limit)s parts.")
            % {"limit": number(MAX_DOCX_ENTRIES)},
            code="too_many_parts",
        )
    if not all(part in names for part in DOCX_REQUIRED_PARTS):
        raise ValidationError(
            _(
                "This file is a zip archive but not a Word document (it has no "
                "word/document.xml); only PDF and Word (.docx) documents are accepted."
            ),
            code="bad_type",
        )
    expanded = sum(info.file_size for info in infos)
    if expanded > MAX_DOCX_UNCOMPRESSED_BYTES:
        raise ValidationError(
            _(
                "This Word document would expand to %(size)s MB; the limit is %(limit)s MB. "
                "Save it again from Word, or as PDF."
            )
            % {
                "size": number(expanded // MiB),
                "limit": number(MAX_DOCX_UNCOMPRESSED_BYTES // MiB),
            },
            code="too_large_expanded",
        )
    for info in infos:
        if info.file_size > DOCX_RATIO_FLOOR_BYTES and info.file_size > MAX_DOCX_RATIO * max(
            info.compress_size, 1
        ):
            raise ValidationError(
                _(
                    "Part %(name)s of this Word document is compressed more than %(ratio)s to 1, "
                    "which no real document is; it is refused."
                )
                % {"name": info.filename[:80], "ratio": MAX_DOCX_RATIO},
                code="suspicious_compression",
            )


def _head(upload: Any) -> bytes:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return head


def _declared_directory(upload: Any) -> tuple[int | None, int]:
    """The entry count and central-directory size an archive's end record declares,
    read from its last bytes (without parsing the directory); (None, 0) when there is
    no end record. A ZIP64 archive declares 0xFFFF entries here: far above the limit,
    as it should be for a document under 10 MB."""
    try:
        upload.seek(0, 2)
        size = upload.tell()
        tail_length = min(size, _END_RECORD_SIZE + _MAX_COMMENT)
        upload.seek(size - tail_length)
        tail = upload.read(tail_length)
    except (OSError, ValueError):
        return None, 0
    finally:
        upload.seek(0)
    at = tail.rfind(_END_OF_CENTRAL_DIRECTORY)
    if at < 0 or len(tail) - at < _END_RECORD_SIZE:
        return None, 0
    record = tail[at : at + _END_RECORD_SIZE]
    entries = int.from_bytes(record[10:12], "little")
    directory_size = int.from_bytes(record[12:16], "little")
    return entries, directory_size
