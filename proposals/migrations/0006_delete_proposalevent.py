"""The proposals' history now lives in the portal's one audit log (AuditEvent)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("proposals", "0005_proposal_events_to_audit_events")]

    operations = [migrations.DeleteModel(name="ProposalEvent")]
