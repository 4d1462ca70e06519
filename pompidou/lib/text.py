"""Text as people paste it, made safe to store and to print.

Word and PDF readers paste characters a browser does not show: a manual line break
is U+000B (vertical tab), a page or section break U+000C (form feed), and lines end
in CR LF. Documents are XML (python-docx) or HTML printed by WeasyPrint, and XML 1.0
allows no C0 control character but tab, line feed and carriage return, so one such
character in a title stops every compile that prints it.

The rule at the boundary (forms and serializers), ``clean_text``:

- CR LF and a lone CR become LF, so a text has one kind of line end;
- U+000B and U+000C become LF: they are Word's manual line break and page break, a
  break the author meant, so they are kept as one rather than refused (the author
  could not see what to remove) or dropped (two words would run together);
- any other C0 control character is refused with a message naming it: none is typed
  or pasted from office software, so one is a client's bug or binary data, and
  refusing tells the sender instead of silently altering what they sent. NUL is
  refused the same way (Django and DRF refuse it too; PostgreSQL cannot store it).

Tab and LF are text. Documents use ``xml_safe``, which never refuses: it applies the
same normalisation and drops whatever XML cannot hold, so no stored text can stop a
compile, whatever reached the database before this rule or around it.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c]")
# C0 controls but tab (09), line feed (0a) and carriage return (0d), after
# normalisation has turned 0b and 0c into line feeds.
_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Everything outside XML 1.0's Char production: the C0 controls above, lone
# surrogates and the non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

REFUSED_MESSAGE = _(
    "This text contains an invisible control character (%(code)s) that cannot be "
    "printed in a document. Retype the passage where it was pasted and save again."
)


def normalise_line_breaks(value: str) -> str:
    """CR LF, CR, vertical tab (Word's manual line break) and form feed become LF."""
    return _LINE_BREAKS.sub("\n", value)


def clean_text(value: str) -> str:
    """``value`` with its line breaks normalised; a ``ValidationError`` (code
    ``control_character``) when it holds any other C0 control character but tab."""
    value = normalise_line_breaks(value)
    found = _REFUSED.search(value)
    if found:
        raise ValidationError(
            REFUSED_MESSAGE,
            code="control_character",
            params={"code": f"U+{ord(found.group()):04X}"},
        )
    return value


def xml_safe(value: str) -> str:
    """``value`` as XML can hold it: line breaks normalised, anything else XML 1.0
    refuses dropped. Never raises; for what enters a document."""
    return _NOT_XML.sub("", normalise_line_breaks(value))
