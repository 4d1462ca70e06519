"""The list of a PDF's page references, built once per page added instead of once per
tagged element.

pydyf's ``PDF.page_references`` is a property that builds the tuple of every page's
reference (``"12 0 R"``) each time it is read, and WeasyPrint reads it once for each
element of the structure tree of a tagged PDF (``weasyprint/pdf/tags.py``): the
work grows with the elements times the pages. A year of about 6,000 annual-programme
rows prints 1,855 pages and some 100,000 tagged elements; its PDF spent 73 of its
185 seconds formatting those references again and again.

``install()`` puts in their place the same tuple, rebuilt only when a page has been
added since it was last built (pydyf only ever appends pages, through ``add_page``).
It is called where the portal imports WeasyPrint (``pompidou.lib.documents``)."""

from typing import Any

import pydyf


def references(kids: list) -> tuple[bytes, ...]:
    """The pages' references, read from the page tree's Kids as pydyf reads them
    (``[number, 0, "R", number, 0, "R", …]``)."""
    return tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])


class _PageReferences:
    """A data descriptor for ``pydyf.PDF.page_references``, kept on each PDF with the
    number of pages it was built for."""

    attribute = "_portal_page_references"

    def __get__(self, pdf: Any, owner: type | None = None) -> Any:
        if pdf is None:
            return self
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get(self.attribute)
        if cached is None or cached[0] != len(kids):
            cached = pdf.__dict__[self.attribute] = (len(kids), references(kids))
        return cached[1]

    def __set__(self, pdf: Any, value: Any) -> None:
        raise AttributeError("page_references is read-only")


def install() -> None:
    """Use the cached page references in every pydyf PDF (idempotent)."""
    if not isinstance(pydyf.PDF.__dict__.get("page_references"), _PageReferences):
        pydyf.PDF.page_references = _PageReferences()
