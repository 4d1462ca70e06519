"""Reading compiled files back: the PDF's text and metadata, the Word file's parts."""

import io
import re
import zipfile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_page_sizes_mm(pdf: bytes) -> set[tuple[int, int]]:
    from pypdf import PdfReader

    return {
        (round(float(p.mediabox.width) * 25.4 / 72), round(float(p.mediabox.height) * 25.4 / 72))
        for p in PdfReader(io.BytesIO(pdf)).pages
    }


def docx_document(docx: bytes):
    from docx import Document

    return Document(io.BytesIO(docx))


def docx_part(docx: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read(name).decode()


def docx_headings(docx: bytes) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in docx_document(docx).paragraphs
        if p.style.name.startswith("Heading")
    ]


def docx_totals(docx: bytes) -> dict[str, str]:
    """The 'Total 3.x' rows of the Word file's tables: section -> amount as written."""
    totals = {}
    for table in docx_document(docx).tables:
        cells = [c.text for c in table.rows[-1].cells]
        match = re.search(r"\b(\d\.\d+)$", cells[0])  # "Total 3.1", in either language
        if match:
            totals[match.group(1)] = cells[-1]
    return totals


def soffice_pdf(docx: bytes, folder) -> bytes:
    """The Word file as LibreOffice lays it out, printed to PDF."""
    import subprocess

    source = folder / "document.docx"
    source.write_bytes(docx)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(folder), "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    return (folder / "document.pdf").read_bytes()
