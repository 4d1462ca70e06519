"""The one numbering of references: ``next_number(key, year)``.

Every kind of reference counts up within its year from one row of ``Sequence``,
locked while it is read and incremented, so two records created at the same moment
get two numbers and a number is never given twice.
"""

from .models import Sequence

DOCUMENT = "document"  # P-PG (YEAR) N, the compiled documents
ACTIVITY = "activity"  # PG-YYYY-NNN
PROPOSAL = "proposal"  # PR-YYYY-NNNN
PC_DECISIONS = "pc_decisions"  # P-PG/PC (YEAR) N, the lists of decisions of the plenaries


def next_number(key: str, year: int) -> int:
    """The next number of ``key`` in ``year`` (1 for the first). Called inside the
    transaction that saves the numbered record, so the number and the record commit
    together (and the row stays locked until then)."""
    Sequence.objects.get_or_create(key=key, year=year)
    seq = Sequence.objects.select_for_update().get(key=key, year=year)
    seq.last_number += 1
    seq.save(update_fields=["last_number"])
    return seq.last_number
