# ID numbers encrypted at rest (issue 6, PIPL), step 1 of 2: the digest column and the wider
# encrypted column.

from django.db import migrations

import portal.core.crypto


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_certificates"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="id_hash",
            field=portal.core.crypto.IDDigestField(default="", source="id_number"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="certificate",
            name="id_number",
            field=portal.core.crypto.EncryptedIDField(max_length=18, verbose_name="ID number"),
        ),
    ]
