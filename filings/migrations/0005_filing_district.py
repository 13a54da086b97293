"""Filing.district: the enterprise's district copied onto its filings, with the index a
district's list reads (issue 6, scale)."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE filings_filing SET district_id = (
    SELECT district_id FROM filings_enterprise WHERE filings_enterprise.id = filings_filing.enterprise_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_outbox"),
        ("filings", "0004_scale_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="filing",
            name="district",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.bureau",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="filing",
            name="district",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.bureau",
            ),
        ),
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(
                condition=models.Q(("status", "draft"), _negated=True),
                fields=["district", "-updated_at", "-id"],
                name="filing_district_updated",
            ),
        ),
    ]
