"""The work programme as the Conference document (PDF and DOCX), regenerated from the
data in the structure of ``P-PG/MinConf (2014) 4``: the introduction, 1 aims,
2 structure (2.1 the permanent activity formats, 2.2 other activities and the adoption
criteria, 2.3 evaluation), 3 the thematic priorities (3.x), 4 the aims, objectives and
expected results of the activity formats (4.x). Written in the language active when
``build`` runs (the job runs it once per official language, ``pompidou/jobs.py``).

The document is a list of sections, each a list of blocks (a paragraph, a labelled
paragraph "Aims: …", a bulleted list), printed alike by the PDF template and the Word
builder, so the two formats say the same words."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from pompidou.lib.documents import Cover, docx_with_cover, pdf_and_docx

from .models import PermanentFormat, WorkProgramme


@dataclass
class Block:
    """A paragraph (``text``), a labelled paragraph (``label`` then ``text``), or a
    bulleted list (``items``)."""

    text: str = ""
    label: str = ""
    items: list[str] = field(default_factory=list)

    @property
    def plain(self) -> str:
        return f"{self.label} {self.text}".strip() if self.label else self.text


@dataclass
class Section:
    number: str  # "1.", "2.1.", "3.3."; empty for the introduction
    title: str
    level: int
    blocks: list[Block] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def anchor(self) -> str:
        return "s-" + (self.number.strip(".").replace(".", "-") or "intro")


@dataclass
class WorkProgrammeData:
    wp: WorkProgramme
    compiled_reference: str
    date_text: str
    sections: list[Section]

    @property
    def title(self) -> str:
        return self.wp.title

    @property
    def cover(self) -> Cover:
        wp = self.wp
        lines = []
        if wp.adopted_by:
            lines.append(_("Adopted at the %(conference)s") % {"conference": wp.adopted_by})
        dates = conference_dates(wp)
        if wp.adopted_place or dates:
            lines.append(", ".join(x for x in (wp.adopted_place, dates) if x))
        lines.append(
            _("Compiled from the portal's data as %(reference)s, %(date)s.")
            % {"reference": self.compiled_reference, "date": self.date_text}
        )
        subtitle = (
            _("‘%(theme)s’") % {"theme": wp.theme}  # the programme's theme, in quotation marks
            if wp.theme
            else ""
        )
        return Cover(wp.title, wp.reference, self.date_text, subtitle, lines)


def conference_dates(wp: WorkProgramme) -> str:
    """ "19-20 November 2014" (one month), else both dates in full; empty if unknown."""
    end = wp.adopted_on
    start = wp.conference_start or end
    if end is None or start is None:
        return ""
    if start == end:
        return formats.date_format(end, "DATE_FORMAT")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{formats.date_format(end, 'DATE_FORMAT')}"
    return (
        f"{formats.date_format(start, 'DATE_FORMAT')} – {formats.date_format(end, 'DATE_FORMAT')}"
    )


def paragraphs(text: str) -> list[str]:
    """A stored text's paragraphs (separated by an empty line), each on one line."""
    return [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _split_structure(text: str) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """The structure text as the document's sections use it: (chapter 2's own
    paragraphs; 2.1's lead-in, which ends with a colon and is followed by the list of
    formats; 2.1's closing paragraph; 2.2's paragraphs up to and including the one that
    introduces the criteria (it ends with a colon); 2.2's paragraphs after them)."""
    paras = paragraphs(text)
    colon = [i for i, p in enumerate(paras) if p.endswith(":")]
    if not colon:
        return paras, [], [], [], []
    first = colon[0]
    own, lead = paras[:first], [paras[first]]
    closing = paras[first + 1 : first + 2]
    rest = paras[first + 2 :]
    last = max((i for i, p in enumerate(rest) if p.endswith(":")), default=len(rest) - 1)
    return own, lead, closing, rest[: last + 1], rest[last + 1 :]


def _texts(rows) -> list[str]:
    return [row.text for row in rows]


def _format_blocks(f: PermanentFormat) -> list[Block]:
    """A format's section as chapter 4 writes it: "Aims: …" (then the objectives as a
    list when the aim introduces them with a colon, else as a paragraph), "Profile of
    beneficiaries: …", "Expected results: …" (a time-limited project's are its
    "Expected outcomes", as 4.8 of the 2015–2018 programme calls them)."""
    blocks: list[Block] = []
    aims, objectives = _texts(f.aims.all()), _texts(f.objectives.all())
    for index, aim in enumerate(aims):
        blocks.append(Block(aim, label=_("Aims:") if index == 0 else ""))
    if objectives:
        if aims and aims[-1].endswith(":") or len(objectives) > 1:
            blocks.append(Block(items=objectives))
        else:
            blocks.extend(Block(o) for o in objectives)
    if f.beneficiaries:
        blocks.append(Block(f.beneficiaries, label=_("Profile of beneficiaries:")))
    label = _("Expected results:") if f.is_permanent else _("Expected outcomes:")
    results = _texts(f.expected_results.all())
    if f.expected_results_intro:
        blocks.append(Block(f.expected_results_intro, label=label))
        if results:
            blocks.append(Block(items=results))
    elif len(results) == 1:
        blocks.append(Block(results[0], label=label))
    elif results:
        blocks.append(Block(label=label))
        blocks.append(Block(items=results))
    return blocks


def gather(wp: WorkProgramme, compiled_reference: str, date_text: str) -> WorkProgrammeData:
    """Everything the document shows, read in a fixed number of queries."""
    aims = list(wp.aims.all())
    priorities = list(wp.priorities.prefetch_related("aims"))
    formats_ = list(wp.formats.prefetch_related("aims", "objectives", "expected_results"))
    criteria = list(wp.criteria.all())
    own, lead, closing, other, after = _split_structure(wp.structure)

    sections = [Section("", _("Introduction"), 1, [Block(p) for p in paragraphs(wp.introduction)])]
    aims_blocks = [Block(p) for p in paragraphs(wp.aims_introduction)]
    aims_blocks.append(Block(items=[a.text for a in aims]))
    aims_blocks += [Block(p) for p in paragraphs(wp.aims_closing)]
    sections.append(Section("1.", _("Aims"), 1, aims_blocks))
    sections.append(Section("2.", _("Structure"), 1, [Block(p) for p in own]))
    permanent = [f.name for f in formats_ if f.is_permanent]
    sections.append(
        Section(
            "2.1.",
            _("Permanent activity formats"),
            2,
            [Block(p) for p in lead] + [Block(items=permanent)] + [Block(p) for p in closing],
        )
    )
    sections.append(
        Section(
            "2.2.",
            _("Other activities"),
            2,
            [Block(p) for p in other]
            + [Block(items=[c.title for c in criteria])]
            + [Block(p) for p in after],
        )
    )
    sections.append(
        Section("2.3.", _("Evaluation"), 2, [Block(p) for p in paragraphs(wp.evaluation)])
    )
    intro = []
    if wp.conference_theme:
        intro.append(
            Block(
                _(
                    "In following up the theme of the %(conference)s on ‘%(theme)s’ the Work "
                    "Programme focuses on the following thematic priorities:"
                )
                % {"conference": wp.adopted_by, "theme": wp.conference_theme}
            )
        )
    sections.append(Section("3.", _("Thematic priorities"), 1, intro))
    for p in priorities:
        blocks = [Block(x) for x in paragraphs(p.rationale)]
        blocks += [Block(label=_("Aims:")), Block(items=_texts(p.aims.all()))]
        sections.append(Section(f"{p.number}.", p.title, 2, blocks))
    sections.append(
        Section(
            "4.",
            _(
                "Aims, objectives and expected results of permanent activity formats of the "
                "Pompidou Group"
            ),
            1,
        )
    )
    sections += [Section(f"{f.number}.", f.name, 2, _format_blocks(f)) for f in formats_]
    return WorkProgrammeData(wp, compiled_reference, date_text, sections)


def build(document, progress) -> tuple[bytes, bytes]:
    """The PDF and the DOCX of ``document`` (a ``WorkProgrammeDocument``)."""
    wp = WorkProgramme.objects.get(pk=document.work_programme_id)
    data = gather(
        wp, document.reference, formats.date_format(document.document_date, "DATE_FORMAT")
    )
    return pdf_and_docx(
        "documents/work_programme.html",
        {"d": data, "cover": data.cover, "reference": wp.reference},
        lambda: _docx(data),
        progress,
    )


def _docx(d: WorkProgrammeData) -> bytes:
    doc = docx_with_cover(d.cover)
    for section in d.sections:
        doc.heading(section.heading, section.level)
        for block in section.blocks:
            if block.items:
                doc.bullets(block.items)
            elif block.plain:
                doc.paragraph(block.plain)
    return doc.to_bytes()
