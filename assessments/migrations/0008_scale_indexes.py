# Issue 6 (scale): the reviewers' plan list reads the last changed plans in index order.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0007_id_numbers_constraints"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="implementationplan",
            index=models.Index(fields=["-updated_at", "-id"], name="plan_recently_updated"),
        ),
    ]
