"""The import pages' rows of the permission matrix: the Secretariat only.

Objects: an import checked by the Secretariat whose file is gone (so confirming it
answers the 400 that says to upload it again).
"""

from . import Row, only

TABLE = {
    "records:start": Row("get", None, only({"secretariat": 200})),
    "records:template": Row("get", "import_template", only({"secretariat": 200})),
    "records:result": Row("get", "record_import", only({"secretariat": 200}), shows=True),
    "records:confirm": Row("post", "record_import", only({"secretariat": 400})),
}

# No object of one member that another could guess: only the Secretariat reaches these.
IDOR: dict = {}
