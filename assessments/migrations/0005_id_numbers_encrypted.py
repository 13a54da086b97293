# ID numbers encrypted at rest (issue 6, PIPL), step 1 of 3: the digest columns, the wider
# encrypted columns; the unique constraints and the index on the plaintext column go (they come
# back on the digest in 0007, once 0006 has filled it).

from django.db import migrations

import portal.core.crypto


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_scores_evidence_results"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="examiner", name="examiner_unique_person_role"),
        migrations.RemoveConstraint(model_name="rosterentry", name="roster_person_once_per_plan"),
        migrations.RemoveIndex(model_name="rosterentry", name="assessments_id_numb_013eea_idx"),
        migrations.AddField(
            model_name="examiner",
            name="id_hash",
            field=portal.core.crypto.IDDigestField(default="", source="id_number"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="rosterentry",
            name="id_hash",
            field=portal.core.crypto.IDDigestField(db_index=False, default="", source="id_number"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="examiner",
            name="id_number",
            field=portal.core.crypto.EncryptedIDField(max_length=18, verbose_name="ID number"),
        ),
        migrations.AlterField(
            model_name="rosterentry",
            name="id_number",
            field=portal.core.crypto.EncryptedIDField(max_length=18, verbose_name="ID number"),
        ),
    ]
