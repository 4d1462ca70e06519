"""The page references of a PDF are built once per page, not once per tagged
element (``pompidou.lib.pdf_pages``), and the tags still point at their pages."""

import copy
import io
from unittest import mock

import pydyf
import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from pompidou.lib import pdf_pages
from pompidou.lib.documents import html_to_pdf

pytestmark = pytest.mark.django_db


def _original(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    return tuple(f"{n} 0 R".encode("ascii") for n in pdf.pages["Kids"][::3])


def test_the_references_are_pydyfs_and_follow_each_page_added():
    pdf_pages.install()
    pdf_pages.install()  # idempotent
    assert isinstance(pydyf.PDF.__dict__["page_references"], pdf_pages._PageReferences)
    pdf = pydyf.PDF()
    assert pdf.page_references == ()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert pdf.page_references == _original(pdf)
    assert len(pdf.page_references) == 3
    with pytest.raises(AttributeError):
        pdf.page_references = ()


def _many_pages_html(rows: int) -> str:
    body = "".join(f"<tr><td>R-{i}</td><td>Row {i}</td></tr>" for i in range(rows))
    return f"<table><thead><tr><th>Ref</th><th>Title</th></tr></thead><tbody>{body}</tbody></table>"


def test_a_tagged_pdf_builds_the_references_once_per_page_count(settings, tmp_path):
    """Before: one tuple of every page's reference per tagged element (thousands here);
    after: at most one per page the PDF gains, whatever the number of elements."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates  # a new setting: Django builds its engines again
    (tmp_path / "many.html").write_text(
        "<html lang='en'><head><title>T</title></head><body>{{ table|safe }}</body></html>"
    )
    with mock.patch.object(pdf_pages, "references", wraps=pdf_pages.references) as built:
        pdf = html_to_pdf("many.html", {"table": _many_pages_html(400)})
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 5
    assert 1 <= built.call_count <= pages + 1

    # Every structure element that names a page names one of the document's pages.
    page_ids = {p.indirect_reference.idnum for p in reader.pages}
    named, targets = 0, set()
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not hasattr(node, "get"):
            continue
        if "/Pg" in node:
            targets.add(node.raw_get("/Pg").idnum)
            named += 1
        kids = node.get("/K")
        if kids is not None and node.get("/Type") in ("/StructElem", "/StructTreeRoot", None):
            stack.append(kids)
    assert named > 400 * 2  # the rows' cells
    # Each names a page of the document, and every page has its elements.
    assert targets == page_ids
