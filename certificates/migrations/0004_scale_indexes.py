# Issue 6 (scale): the certificate and issue batch lists read their newest rows in index order.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_id_numbers_encrypt_rows"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["-issued_on", "number"], name="certificate_newest_first"),
        ),
        migrations.AddIndex(
            model_name="issuebatch",
            index=models.Index(fields=["-created_at", "-id"], name="issue_batch_newest_first"),
        ),
    ]
