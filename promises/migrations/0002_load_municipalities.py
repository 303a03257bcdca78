from django.db import migrations

from promises.reference_data import load_municipalities


def forwards(apps, schema_editor):
    load_municipalities(apps.get_model("promises", "Party"))


class Migration(migrations.Migration):
    dependencies = [("promises", "0001_initial")]

    # Unapplying keeps the register's rows: parties may be in use by then, and applying again
    # updates them in place. Unapplying 0001 removes the table with them.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
