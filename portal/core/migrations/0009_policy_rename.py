from django.db import migrations


class Migration(migrations.Migration):
    """A city's policy becomes any bureau's policy; windows belong to any bureau."""

    dependencies = [
        ("core", "0008_audit_chain"),
    ]

    operations = [
        migrations.RenameModel("CityPolicy", "Policy"),
        migrations.RenameField("policy", "city", "bureau"),
        migrations.RenameField("applicationwindow", "city", "bureau"),
    ]
