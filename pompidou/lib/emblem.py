"""The emblem on the cover of every compiled document: a PNG, JPEG or SVG the
Secretariat uploads in the back office (``DocumentSettings``), checked by its bytes,
or the neutral emblem shipped in ``static/documents/``.

An SVG is printed by WeasyPrint, which would fetch whatever it references: one that
points outside itself (a web address, a local file) or declares entities is refused,
so a document never reads anything but the emblem's own bytes."""

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .files import MiB

MAX_EMBLEM_BYTES = MiB
# Pixels per side: an emblem prints some 3 cm wide; more is a photograph, not a logo.
MIN_EMBLEM_PIXELS = 32
MAX_EMBLEM_PIXELS = 4000

PNG, JPEG, SVG = "image/png", "image/jpeg", "image/svg+xml"
EXTENSIONS = {PNG: (".png",), JPEG: (".jpg", ".jpeg"), SVG: (".svg",)}
DEFAULT_EMBLEM = Path("static/documents/emblem-default.png")

NOT_AN_EMBLEM = _(
    "The emblem must be a PNG, JPEG or SVG image; this file is none of them, "
    "whatever its name says."
)
_SVG_NS = "{http://www.w3.org/2000/svg}"
# href="#id" and url(#id) point inside the file; anything else points outside it.
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


@dataclass(frozen=True)
class Emblem:
    content: bytes
    content_type: str
    width: float  # intrinsic size, any unit: only the proportions are used
    height: float

    @property
    def data_uri(self) -> str:
        import base64

        return f"data:{self.content_type};base64,{base64.b64encode(self.content).decode()}"


def sniff_emblem_type(content: bytes) -> str | None:
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in content[:4096].lower():
        return SVG
    return None


def read_emblem(content: bytes, name: str = "") -> Emblem:
    """The emblem in ``content``, or a ValidationError that says what is wrong."""
    _check_size(len(content))
    content_type = sniff_emblem_type(content)
    if content_type is None:
        raise ValidationError(NOT_AN_EMBLEM, code="not_an_image")
    if name and not name.lower().endswith(EXTENSIONS[content_type]):
        raise ValidationError(
            _("This file is a %(kind)s image: its name must end in %(extension)s.")
            % {
                "kind": content_type.split("/")[1].split("+")[0].upper(),
                "extension": EXTENSIONS[content_type][0],
            },
            code="extension",
        )
    if content_type == SVG:
        width, height = _svg_size(content)
    else:
        width, height = _bitmap_size(content)
    return Emblem(content, content_type, width, height)


def validate_emblem(upload: Any) -> None:
    # A file the upload handler stopped at its limit arrives empty, its size noted.
    _check_size(getattr(upload, "size", None) or 0)
    upload.seek(0)
    content = upload.read(MAX_EMBLEM_BYTES + 1)
    upload.seek(0)
    read_emblem(content, getattr(upload, "name", "") or "")


def _check_size(size: int) -> None:
    if size > MAX_EMBLEM_BYTES:
        raise ValidationError(
            _("The emblem is %(size)s kB; the limit is %(limit)s kB.")
            % {"size": f"{size // 1024:,}", "limit": f"{MAX_EMBLEM_BYTES // 1024:,}"},
            code="too_large",
        )


def _bitmap_size(content: bytes) -> tuple[float, float]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as exc:
        raise ValidationError(
            _("The emblem image is damaged and cannot be read."), code="damaged"
        ) from exc
    if not (MIN_EMBLEM_PIXELS <= width <= MAX_EMBLEM_PIXELS) or not (
        MIN_EMBLEM_PIXELS <= height <= MAX_EMBLEM_PIXELS
    ):
        raise ValidationError(
            _(
                "The emblem is %(width)s × %(height)s pixels; each side must be between "
                "%(min)s and %(max)s pixels."
            )
            % {
                "width": width,
                "height": height,
                "min": MIN_EMBLEM_PIXELS,
                "max": MAX_EMBLEM_PIXELS,
            },
            code="dimensions",
        )
    return float(width), float(height)


def _svg_size(content: bytes) -> tuple[float, float]:
    if b"<!doctype" in content.lower() or b"<!entity" in content.lower():
        raise ValidationError(
            _("An SVG emblem may not declare a DOCTYPE or entities."), code="svg_doctype"
        )
    try:
        # No DTD gets this far (refused above), so no entity can expand or reach out.
        root = ET.fromstring(content)  # noqa: S314
    except ET.ParseError as exc:
        raise ValidationError(
            _("The SVG emblem is not well-formed XML: %(error)s") % {"error": exc},
            code="svg_malformed",
        ) from exc
    if root.tag != f"{_SVG_NS}svg":
        raise ValidationError(NOT_AN_EMBLEM, code="not_an_image")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in ("script", "foreignobject"):
            raise ValidationError(
                _("An SVG emblem may not contain scripts or embedded web content."),
                code="svg_script",
            )
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            external_href = local == "href" and not value.strip().startswith(("#", "data:image/"))
            if external_href or local.startswith("on") or _EXTERNAL_URL.search(value):
                raise ValidationError(
                    _(
                        "An SVG emblem must be self-contained: it may not refer to other "
                        'files or addresses (found %(attribute)s="%(value)s").'
                    )
                    % {"attribute": local, "value": value[:60]},
                    code="svg_external",
                )
        if tag == "style" and element.text and _EXTERNAL_URL.search(element.text):
            raise ValidationError(
                _("An SVG emblem must be self-contained: its styles may not load other files."),
                code="svg_external",
            )
    return _svg_dimension(root, "width", 2), _svg_dimension(root, "height", 3)


def _svg_dimension(root: ET.Element, name: str, view_box_index: int) -> float:
    match = re.match(r"\s*([0-9.]+)", root.get(name, ""))
    if match:
        return float(match.group(1)) or 1.0
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        try:
            return float(view_box[view_box_index]) or 1.0
        except ValueError:
            pass
    return 1.0


def current_emblem() -> Emblem:
    """The Secretariat's emblem, or the shipped default when none is set (or the
    stored file has gone missing: a compile never fails for its cover)."""
    from pompidou.models import DocumentSettings

    stored = DocumentSettings.objects.filter(pk=DocumentSettings.SINGLETON).only("emblem").first()
    if stored is not None and stored.emblem:
        try:
            with stored.emblem.open("rb") as handle:
                return read_emblem(handle.read())
        except (OSError, ValidationError):
            pass
    return read_emblem((Path(settings.BASE_DIR) / DEFAULT_EMBLEM).read_bytes())
