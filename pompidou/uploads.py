"""Uploads are refused while they stream, not once they have all arrived.

``DocumentSizeUploadHandler`` comes first in ``FILE_UPLOAD_HANDLERS``:

- a multipart request declaring more than a document and its form
  (``MAX_UPLOAD_REQUEST_BYTES``) is refused before any of it is read (the
  ``RequestSizeLimitMiddleware`` answers it with a 413 even earlier);
- a file that grows past ``MAX_DOCUMENT_BYTES`` stops being stored at that
  byte: the rest of its bytes are read off the wire and dropped, and the form
  receives an empty ``OversizedUpload`` that carries the size seen, so
  ``validate_document`` refuses it with the usual message on the field.
"""

from io import BytesIO
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from pompidou.lib.files import MAX_DOCUMENT_BYTES, MAX_UPLOAD_REQUEST_BYTES


class UploadTooLarge(RequestDataTooBig):
    """The request's body is larger than any upload of the portal may be."""


class OversizedUpload(UploadedFile):
    """Stands for a file refused at ``MAX_DOCUMENT_BYTES``: no content, its size
    at least the bytes received, so any size check refuses it."""

    def __init__(self, name: str | None, content_type: str | None, size: int) -> None:
        super().__init__(BytesIO(), name=name, content_type=content_type, size=size)


class DocumentSizeUploadHandler(FileUploadHandler):
    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        if content_length and content_length > MAX_UPLOAD_REQUEST_BYTES:
            raise UploadTooLarge(
                f"Request body of {content_length} bytes exceeds {MAX_UPLOAD_REQUEST_BYTES}."
            )
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > MAX_DOCUMENT_BYTES:
            self.too_large = True
        # None stops the chain: the handlers after this one store nothing more.
        return None if self.too_large else raw_data

    def file_complete(self, file_size: int) -> Any:
        if self.too_large:
            return OversizedUpload(self.file_name, self.content_type, self.received)
        return None
