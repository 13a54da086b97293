# Issue 6 (scale): the reviewers' filing list reads the last changed filings in index order.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0003_filing_status_sanctions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(fields=["-updated_at", "-id"], name="filing_recently_updated"),
        ),
    ]
