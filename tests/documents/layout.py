"""Page-by-page checks of a compiled PDF, as a person leafing through it would notice:

- a heading alone at the foot of a page (its text on the next) or a page holding
  nothing but a heading;
- a table running onto a page without its header row at the top;
- text outside the margins (the running header and footer have their own bands);
- ink in the outer strips of the page, where printers cut and nothing belongs.

The words and their boxes come from ``pdftotext -bbox-layout`` (poppler), the ink from
each page drawn by ``pdftoppm``. Any document of the portal can be checked:

    problems = check_pdf(pdf_bytes, table_headers=["Reference Title Lead", ...])
    assert not problems, "\\n".join(problems)

``table_headers``: the header rows the document's tables repeat (their words, in the
document's language); the check of cut tables needs them.
"""

from __future__ import annotations

import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

CM = 72 / 2.54  # PDF points in a centimetre


@dataclass(frozen=True)
class Margins:
    """The page's margins in cm (as the documents' @page rule sets them)."""

    top: float = 2.2
    right: float = 2.0
    bottom: float = 2.4
    left: float = 2.0
    outer_strip: float = 0.8  # no ink at all this close to an edge
    tolerance_pt: float = 2.0


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Row:
    """Words whose boxes share a band of the page (a line, or a table row's first lines)."""

    words: list[Word] = field(default_factory=list)

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in sorted(self.words, key=lambda w: (w.x0, w.y0)))

    @property
    def height(self) -> float:
        return max(w.height for w in self.words)


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word]
    ink: object  # PIL image, greyscale
    dpi: int

    def rows(self, margins: Margins) -> list[Row]:
        """The page's content (not its running header or footer) in visual rows."""
        top, bottom = margins.top * CM, self.height - margins.bottom * CM
        content = sorted(
            (w for w in self.words if w.y1 > top and w.y0 < bottom), key=lambda w: w.y0
        )
        rows: list[Row] = []
        for word in content:
            if rows and word.y0 < rows[-1].y1 - 0.3 * word.height:
                rows[-1].words.append(word)
            else:
                rows.append(Row([word]))
        return rows

    def rules(self, margins: Margins, share: float = 0.5) -> list[float]:
        """The y (points) of horizontal rules across at least ``share`` of the text
        width: the borders of a table's rows."""
        scale = self.dpi / 72
        left = int(margins.left * CM * scale)
        right = int((self.width - margins.right * CM) * scale)
        top = int(margins.top * CM * scale)
        bottom = int((self.height - margins.bottom * CM) * scale)
        pixels = self.ink.load()
        found: list[float] = []
        for y in range(top, bottom):
            # A rule is one unbroken stroke; a line of text, however dense, is not.
            longest = run = 0
            for x in range(left, right):
                run = run + 1 if pixels[x, y] < 215 else 0
                longest = max(longest, run)
            if longest >= share * (right - left) and (not found or y / scale - found[-1] > 2):
                found.append(y / scale)
        return found


def read_pdf(pdf: bytes, dpi: int = 72) -> list[Page]:
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftotext", "-bbox-layout", str(path), str(Path(folder) / "words.html")],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            ["pdftoppm", "-gray", "-png", "-r", str(dpi), str(path), str(Path(folder) / "page")],
            check=True,
            capture_output=True,
        )
        images = sorted(Path(folder).glob("page-*.png"))
        tree = ET.parse(Path(folder) / "words.html")  # noqa: S314 - poppler's own output
        ns = {"x": "http://www.w3.org/1999/xhtml"}
        pages = []
        for number, (element, image) in enumerate(
            zip(tree.getroot().iterfind(".//x:page", ns), images, strict=True), start=1
        ):
            words = [
                Word(
                    float(w.get("xMin")),
                    float(w.get("yMin")),
                    float(w.get("xMax")),
                    float(w.get("yMax")),
                    w.text or "",
                )
                for w in element.iterfind(".//x:word", ns)
            ]
            with Image.open(image) as drawn:
                ink = drawn.convert("L")
            pages.append(
                Page(
                    number,
                    float(element.get("width")),
                    float(element.get("height")),
                    words,
                    ink,
                    dpi,
                )
            )
        return pages


def body_text_height(pages: list[Page], margins: Margins) -> float:
    """The most common word height in the content: the body text's."""
    from collections import Counter

    heights = Counter(
        round(w.height) for page in pages for row in page.rows(margins) for w in row.words
    )
    return float(heights.most_common(1)[0][0]) if heights else 0.0


def stranded_headings(
    pages: list[Page], margins: Margins, heading_height: float | None = None
) -> list[str]:
    """A heading (text clearly taller than the body's) that ends its page, or a page
    with nothing but headings. The cover (page 1) is exempt: its title is its content."""
    if heading_height is None:
        heading_height = body_text_height(pages, margins) * 1.2
    problems = []
    for page in pages[1:]:
        rows = page.rows(margins)
        if not rows:
            continue
        headings = [r for r in rows if r.height >= heading_height]
        if len(headings) == len(rows):
            problems.append(f"page {page.number} holds only a heading: {rows[0].text!r}")
        elif rows[-1].height >= heading_height:
            problems.append(
                f"page {page.number} ends with the heading {rows[-1].text!r}; "
                "its text is on the next page"
            )
    return problems


def _normalise(text: str) -> list[str]:
    return [w for w in text.replace("\u00a0", " ").replace("\u202f", " ").split() if w]


def tables_cut_without_header(
    pages: list[Page], margins: Margins, table_headers: Iterable[str]
) -> list[str]:
    """A page whose content begins inside a table (a rule above its first line) must
    begin with one of the tables' header rows."""
    headers = [set(_normalise(h)) for h in table_headers if _normalise(h)]
    problems = []
    for page in pages[1:]:
        rows = page.rows(margins)
        rules = page.rules(margins)
        if not rows or not rules or rules[0] > rows[0].y0:
            continue  # the page starts with text, not with a table
        # The first table row: the words between the first two rules.
        end = next((r for r in rules[1:] if r > rows[0].y0), page.height)
        words = {w for row in rows if row.y0 < end for w in _normalise(row.text)}
        if not any(header <= words for header in headers):
            problems.append(
                f"page {page.number} continues a table without its header row "
                f"(it starts with {rows[0].text[:60]!r})"
            )
    return problems


def text_outside_margins(pages: list[Page], margins: Margins) -> list[str]:
    """Words beyond the text area. The bands above and below it hold the running
    header and footer: words there are allowed, but not past the side margins."""
    problems = []
    t = margins.tolerance_pt
    for page in pages:
        left, right = margins.left * CM - t, page.width - margins.right * CM + t
        for w in page.words:
            if w.x0 < left or w.x1 > right:
                problems.append(
                    f"page {page.number}: {w.text!r} runs into the side margin "
                    f"(x {w.x0:.0f}–{w.x1:.0f} pt, text area {left + t:.0f}–{right - t:.0f})"
                )
            elif w.y0 < 0 or w.y1 > page.height:
                problems.append(f"page {page.number}: {w.text!r} is off the page")
    return problems


def ink_in_outer_strips(pages: list[Page], margins: Margins) -> list[str]:
    """Anything printed within ``outer_strip`` cm of an edge of the page."""
    problems = []
    for page in pages:
        scale = page.dpi / 72
        strip = int(margins.outer_strip * CM * scale)
        width, height = page.ink.size
        pixels = page.ink.load()
        for name, xs, ys in (
            ("top", range(width), range(strip)),
            ("bottom", range(width), range(height - strip, height)),
            ("left", range(strip), range(height)),
            ("right", range(width - strip, width), range(height)),
        ):
            if any(pixels[x, y] < 200 for y in ys for x in xs):
                problems.append(f"page {page.number}: ink in the {name} edge strip")
    return problems


def check_pdf(
    pdf: bytes,
    *,
    table_headers: Iterable[str] = (),
    margins: Margins | None = None,
    heading_height: float | None = None,
) -> list[str]:
    """Every layout problem found, in words a person would use (empty when none)."""
    margins = margins or Margins()
    pages = read_pdf(pdf)
    return [
        *stranded_headings(pages, margins, heading_height),
        *tables_cut_without_header(pages, margins, table_headers),
        *text_outside_margins(pages, margins),
        *ink_in_outer_strips(pages, margins),
    ]
