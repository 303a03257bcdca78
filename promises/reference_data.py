"""Reference data shipped in promises/data/: Sweden's municipalities from Statistics Sweden
(municipalities.csv) and the national list of focus themes (themes.csv)."""

import csv
from pathlib import Path

from django.utils.text import slugify

DATA = Path(__file__).resolve().parent / "data"
MUNICIPALITIES_CSV = DATA / "municipalities.csv"
THEMES_CSV = DATA / "themes.csv"

# The English names of Sweden's 21 counties (län), by county code: a fixed official list, so it
# lives here beside the register rather than in the catalogue (see README, Translations).
COUNTY_NAMES_EN = {
    "01": "Stockholm County",
    "03": "Uppsala County",
    "04": "Södermanland County",
    "05": "Östergötland County",
    "06": "Jönköping County",
    "07": "Kronoberg County",
    "08": "Kalmar County",
    "09": "Gotland County",
    "10": "Blekinge County",
    "12": "Skåne County",
    "13": "Halland County",
    "14": "Västra Götaland County",
    "17": "Värmland County",
    "18": "Örebro County",
    "19": "Västmanland County",
    "20": "Dalarna County",
    "21": "Gävleborg County",
    "22": "Västernorrland County",
    "23": "Jämtland County",
    "24": "Västerbotten County",
    "25": "Norrbotten County",
}


def read_municipalities():
    """Rows of the register, each with a URL slug.

    Håbo and Habo would share a slug, so the later one gets its code appended.
    """
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as csv_file:
        rows = list(csv.DictReader(csv_file))
    seen = set()
    for row in rows:
        slug = slugify(row["name"])
        if slug in seen:
            slug = f"{slug}-{row['code']}"
        seen.add(slug)
        row["slug"] = slug
    return rows


def load_municipalities(party_model):
    """Create or update every municipality; safe to run again."""
    for row in read_municipalities():
        party_model.objects.update_or_create(
            municipality_code=row["code"],
            defaults={
                "kind": "municipality",
                "name": row["name"],
                "slug": row["slug"],
                "county_code": row["county_code"],
                "county": row["county"],
                "police_region": row["police_region"],
            },
        )


def read_themes():
    with THEMES_CSV.open(encoding="utf-8") as csv_file:
        return list(csv.DictReader(csv_file))


def load_themes(theme_model):
    """Create or update every theme of the national list, in its order; safe to run again."""
    for order, row in enumerate(read_themes()):
        theme_model.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name_sv": row["name_sv"],
                "name_en": row["name_en"],
                "keywords": row["keywords"],
                "order": order,
            },
        )


def unload_themes(theme_model):
    theme_model.objects.filter(slug__in=[row["slug"] for row in read_themes()]).delete()
