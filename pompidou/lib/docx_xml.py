"""The OOXML python-docx has no API for: fields, bookmarks and internal links, the
settings' update-on-open flag, pictures' alternative text, SVG pictures."""

from __future__ import annotations

import io
from typing import Any

from .emblem import SVG, Emblem


def get_or_add_style(styles: Any, name: str, kind: Any) -> Any:
    """The template's style of that name, or a new one."""
    try:
        return styles[name]
    except KeyError:
        return styles.add_style(name, kind)


def fld_char(paragraph: Any, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        element.set(qn("w:dirty"), "true")  # Word recomputes it
    paragraph.add_run()._r.append(element)


def instr(paragraph: Any, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = f" {instruction} "
    paragraph.add_run()._r.append(element)


# The elements that follow w:updateFields in settings.xml (CT_Settings is a sequence:
# Word refuses a file whose settings are out of order).
AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def update_fields_on_open(settings: Any) -> None:
    """Word asks to update the fields (the contents, the page numbers) on opening."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        following = next(
            (child for child in settings if child.tag.rsplit("}", 1)[-1] in AFTER_UPDATE_FIELDS),
            None,
        )
        if following is None:
            settings.append(update)
        else:
            following.addprevious(update)
    update.set(qn("w:val"), "true")


def internal_link(paragraph: Any, text: str, bookmark: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    run = paragraph.add_run(text)
    link.append(run._r)
    paragraph._p.append(link)


def paragraph_after(anchor: Any, doc: Any) -> Any:
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    new = OxmlElement("w:p")
    anchor.addnext(new)
    return Paragraph(new, doc._body)


def alt_text(paragraph: Any, text: str) -> None:
    from docx.oxml.ns import qn

    for doc_pr in paragraph._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", text)


def add_svg_picture(paragraph: Any, emblem: Emblem, width: Any, height: Any) -> None:
    """An SVG as Word 2016+ embeds it (``asvg:svgBlip``), over a blank PNG of the same
    proportions for older readers: the portal has no SVG rasteriser."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from PIL import Image

    blank = io.BytesIO()
    ratio = emblem.width / emblem.height
    Image.new("RGBA", (max(1, round(64 * ratio)), 64), (255, 255, 255, 0)).save(blank, "PNG")
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(blank.getvalue()), width=width, height=height)
    document_part = paragraph.part
    package = document_part.package
    partname = package.next_partname("/word/media/emblem%d.svg")
    svg_part = Part(PackURI(str(partname)), SVG, emblem.content, package)
    rid = document_part.relate_to(svg_part, RT.IMAGE)
    blip = run._r.xpath(".//a:blip")[0]
    extension = parse_xml(
        '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}">'
        '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        f' r:embed="{rid}"/></a:ext></a:extLst>'
    )
    blip.append(extension)
