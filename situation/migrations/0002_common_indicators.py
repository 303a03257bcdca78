from django.db import migrations

# The questions most Swedish safety surveys share (the police's and SKR's surveys). Values are
# shares in percent; only trust in the local police is better when higher.
INDICATORS = [
    (
        "oro-brott",
        "Oro för att utsättas för brott",
        "Andel som oroar sig för att själv utsättas för brott.",
        True,
    ),
    (
        "otrygg-kvall",
        "Otrygg utomhus sent en kväll",
        "Andel som känner sig otrygga när de går ut ensamma sent en kväll i sitt bostadsområde.",
        True,
    ),
    (
        "undvikit-platser",
        "Undvikit platser eller aktiviteter",
        "Andel som avstått från en aktivitet eller valt en annan väg på grund av otrygghet.",
        True,
    ),
    (
        "utsatt-brott",
        "Utsatt för brott senaste året",
        "Andel som uppger att de utsatts för brott under de senaste tolv månaderna.",
        True,
    ),
    (
        "problem-ordningsstorningar",
        "Problem med störande personer utomhus",
        "Andel som upplever ordningsstörningar utomhus som ett problem i sitt område.",
        True,
    ),
    (
        "problem-narkotikahandel",
        "Problem med narkotikaförsäljning",
        "Andel som upplever öppen narkotikaförsäljning som ett problem i sitt område.",
        True,
    ),
    (
        "problem-trafik",
        "Problem med vårdslös trafik",
        "Andel som upplever vårdslös körning, fortkörning eller buskörning som ett problem.",
        True,
    ),
    (
        "problem-nedskrapning",
        "Problem med nedskräpning och skadegörelse",
        "Andel som upplever nedskräpning, klotter eller skadegörelse som ett problem.",
        True,
    ),
    (
        "fortroende-polis",
        "Förtroende för polisens lokala arbete",
        "Andel som har ganska eller mycket stort förtroende för polisens arbete i området.",
        False,
    ),
]


def add_indicators(apps, schema_editor):
    Indicator = apps.get_model("situation", "Indicator")
    for order, (code, name, description, lower_is_better) in enumerate(INDICATORS):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "unit": "percent",
                "lower_is_better": lower_is_better,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("situation", "0001_initial")]

    # Unapplying keeps the indicators: survey results may refer to them by then, and applying
    # again updates them in place. Unapplying 0001 removes the table with them.
    operations = [migrations.RunPython(add_indicators, migrations.RunPython.noop)]
