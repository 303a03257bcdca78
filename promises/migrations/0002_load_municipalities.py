from django.db import migrations

from promises.reference_data import load_municipalities, read_municipalities


def forwards(apps, schema_editor):
    load_municipalities(apps.get_model("promises", "Party"))


def backwards(apps, schema_editor):
    Party = apps.get_model("promises", "Party")
    codes = [row["code"] for row in read_municipalities()]
    Party.objects.filter(
        municipality_code__in=codes, promises__isnull=True, agreements__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("promises", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
