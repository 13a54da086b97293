from django.db import migrations, models


def from_flag(apps, schema_editor):
    Enterprise = apps.get_model("filings", "Enterprise")
    Enterprise.objects.filter(city_administered=True).update(administration_level="city")


def to_flag(apps, schema_editor):
    Enterprise = apps.get_model("filings", "Enterprise")
    Enterprise.objects.filter(administration_level="city").update(city_administered=True)


class Migration(migrations.Migration):
    """R-F5: who an enterprise files with is a level (district, city, province), not a flag."""

    dependencies = [
        ("filings", "0005_filing_district"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="administration_level",
            field=models.CharField(
                choices=[
                    ("district", "District enterprise"),
                    ("city", "City-administered enterprise"),
                    ("province", "Province-administered enterprise"),
                ],
                default="district",
                max_length=10,
                verbose_name="administered by",
            ),
        ),
        migrations.RunPython(from_flag, to_flag),
        migrations.RemoveField(model_name="enterprise", name="city_administered"),
    ]
