# ID numbers encrypted at rest, step 3 of 3: the unique constraints and the R-P5a index on the
# digest (R-C3 one person once per role, R-P5 a person once per roster).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_id_numbers_encrypt_rows"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="examiner",
            constraint=models.UniqueConstraint(
                fields=("enterprise", "id_hash", "role"), name="examiner_unique_person_role"
            ),
        ),
        migrations.AddConstraint(
            model_name="rosterentry",
            constraint=models.UniqueConstraint(
                fields=("plan", "id_hash"), name="roster_person_once_per_plan"
            ),
        ),
        migrations.AddIndex(
            model_name="rosterentry",
            index=models.Index(
                fields=["id_hash", "occupation_code", "level"], name="roster_person_occupation"
            ),
        ),
    ]
