"""What the PDF and the Word file of a document share: the A4 page and its margins,
the cover's organisation lines, the page footer, and the widths of table columns."""

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

PAGE_CM = (21.0, 29.7)  # A4
MARGINS_CM = (2.2, 2.0, 2.4, 2.0)  # top, right, bottom, left (as CSS lists them)
TEXT_WIDTH_CM = PAGE_CM[0] - MARGINS_CM[1] - MARGINS_CM[3]

# A table cell's text at 8.5 pt in DejaVu Sans: the average character's width, and
# the cell's padding, in cm. Only the proportions matter, the text width is fixed.
_CHAR_CM = 0.19
# How much wider a bold letter is than a regular one (DejaVu Sans and Liberation Sans,
# as Word and LibreOffice lay out the header rows).
_BOLD_WIDTH = 1.15
_PADDING_CM = 0.4
# A cell's text longer than this many characters wraps anyway: it asks no more room.
_WRAP_CHARS = 60


def ORGANISATION_LINES() -> list[str]:  # noqa: N802 - a constant, translated when called
    return [
        _("Co-operation Group to Combat Drug Abuse and Illicit Trafficking in Drugs"),
        _("Pompidou Group — Council of Europe"),
    ]


def page_footer_parts() -> list[tuple[str, str]]:
    """ "Page N of M" in the active language, as text and fields (PAGE, NUMPAGES)."""
    text = _("Page {page} of {pages}")
    parts: list[tuple[str, str]] = []
    rest = text
    while rest:
        starts = [(rest.find(m), m) for m in ("{page}", "{pages}") if rest.find(m) >= 0]
        if not starts:
            parts.append(("text", rest))
            break
        at, marker = min(starts)
        if at:
            parts.append(("text", rest[:at]))
        parts.append(("field", "PAGE" if marker == "{page}" else "NUMPAGES"))
        rest = rest[at + len(marker) :]
    return parts


def column_widths(
    headers: Sequence[str], rows: Sequence[Sequence[str]], unbroken: Iterable[int] = ()
) -> list[float]:
    """Each column's share of the text width, from what it holds: never narrower than
    its longest word (a title never wraps a word per line), nor than its whole texts
    in the ``unbroken`` columns (a date), and the room left shared in proportion to
    how much more each column's longer texts ask."""
    unbroken = set(unbroken)
    columns = len(headers)
    least = [0.0] * columns
    wanted = [0.0] * columns
    for number, row in enumerate([headers, *rows]):
        # Header cells are bold: their letters are wider than the body's.
        char_cm = _CHAR_CM * (_BOLD_WIDTH if number == 0 else 1.0)
        for index, value in enumerate(row):
            text = str(value or "")
            longest_word = max((len(w) for w in text.split()), default=0)
            shortest_line = len(text) if index in unbroken else longest_word
            least[index] = max(least[index], shortest_line * char_cm + _PADDING_CM)
            wanted[index] = max(wanted[index], min(len(text), _WRAP_CHARS) * char_cm + _PADDING_CM)
    width = TEXT_WIDTH_CM
    if sum(least) >= width:
        widths = [w * width / sum(least) for w in least]
    elif sum(wanted) <= width:
        spare = width - sum(wanted)
        widths = [w + spare * w / sum(wanted) for w in wanted]
    else:
        room = width - sum(least)
        extra = [w - m for w, m in zip(wanted, least, strict=True)]
        widths = [m + room * e / sum(extra) for m, e in zip(least, extra, strict=True)]
    return [w / width for w in widths]
