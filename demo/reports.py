"""Demo reports from residents, so that the coordinators' triage in the admin has something
to show. Invented examples, without personal data."""

from promises.models import Party
from reports.models import ErrorReport, TriageStatus, UnsafePlaceReport

from .upsert import upsert

UNSAFE_PLACES = [
    # (municipality code, place, what, when, status)
    (
        "1060",
        "Gångtunneln under järnvägen",
        "Flera lampor är trasiga, och det är svårt att se vem som kommer emot.",
        "Kvällar efter 20",
        TriageStatus.IN_PROGRESS,
    ),
    (
        "1060",
        "Busshållplatsen vid Folkets park",
        "Grupper samlas och det kastas flaskor.",
        "Fredags- och lördagskvällar",
        TriageStatus.NEW,
    ),
    (
        "1083",
        "Parkeringen vid Stortorget",
        "Bilar kör fort i cirklar nattetid.",
        "Helger, sent på natten",
        TriageStatus.NEW,
    ),
]


def load():
    for code, place, description, when, status in UNSAFE_PLACES:
        upsert(
            UnsafePlaceReport,
            municipality=Party.objects.get(municipality_code=code),
            place=place,
            defaults={"description": description, "when": when, "status": status},
        )
    upsert(
        ErrorReport,
        page_url="/kommun/olofstrom/",
        defaults={
            "message": "Länken till kommunens trygghetsmätning fungerar inte.",
            "municipality": Party.objects.get(municipality_code="1060"),
        },
    )
