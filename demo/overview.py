"""Themes on the demo's focus areas, and (`load_demo --country-sample`, which `make run` uses) a
sample of invented promises across the country, so that the national overview has something to
show: current and earlier promises in every police region, tagged with themes, their follow-up
rounds published on time, late or not at all. The sample is left out of the tests' demo, whose
pages and feeds tell of the five real seed texts.

The sample promises say in their summary that they are invented. Like the rest of the demo,
loading again changes nothing; a promise the workflow has moved on is left alone.
"""

import datetime as dt

from django.utils import timezone

from followup import schedule
from followup.models import FollowUpRound
from promises.models import Commitment, FocusArea, Party, Promise, Theme

from .upsert import upsert

# (municipality code, first year, last year): the sample, two to five per police region.
SAMPLE = [
    ("0180", 2025, 2026),
    ("0182", 2026, 2027),
    ("0114", 2024, 2025),
    ("0380", 2026, 2026),
    ("0381", 2025, 2026),
    ("2180", 2026, 2027),
    ("2281", 2024, 2025),
    ("0580", 2025, 2026),
    ("0581", 2026, 2027),
    ("0480", 2026, 2026),
    ("0680", 2025, 2026),
    ("1280", 2026, 2027),
    ("1283", 2025, 2026),
    ("1290", 2024, 2025),
    ("0780", 2026, 2026),
    ("0880", 2025, 2026),
    ("1480", 2026, 2027),
    ("1490", 2025, 2026),
    ("1380", 2026, 2027),
    ("1485", 2024, 2025),
    ("1880", 2026, 2027),
    ("1980", 2025, 2026),
    ("1780", 2026, 2026),
    ("2080", 2024, 2025),
    ("2480", 2026, 2027),
    ("2580", 2025, 2026),
    ("2584", 2026, 2027),
    ("2380", 2025, 2026),
]
# Focus-area titles a coordinator might write; their themes are the ones the titles suggest.
FOCUS_AREAS = [
    "Trafiksäkerhet kring skolor",
    "Trygghet för barn och unga",
    "Minska langning av alkohol till unga",
    "Färre inbrott i villaområden",
    "Stöd mot våld i nära relationer",
    "Bedrägerier mot äldre",
    "Narkotika i offentliga miljöer",
    "Tryggare centrum och nattliv",
    "Förhindra rekrytering till kriminella nätverk",
    "Mindre klotter och skadegörelse",
]
# How each quarter's round went, taken in turn: published this many days after the quarter's
# end (on time within the deadline, else late), or None for a round never published.
ROUND_DELAYS = [14, 21, None, 45, 10, 90, 25]
SUMMARY = "Ett påhittat exempel som visar hur översikten över landet fungerar."


def _police_area(municipality):
    area, _ = upsert(
        Party,
        slug=f"lpo-exempel-{municipality.slug}",
        defaults={
            "kind": Party.Kind.POLICE_AREA,
            "name": f"Lokalpolisområde {municipality.name} (exempel)",
            "police_region": municipality.police_region,
        },
    )
    return area


def tag_focus_areas():
    """Every demo focus area without themes gets those its title suggests."""
    themes = list(Theme.objects.all())
    for area in FocusArea.objects.filter(themes=None).select_related("promise"):
        suggested = [theme for theme in themes if theme.matches(area.title)]
        if suggested:
            area.themes.set(suggested)


def _load_rounds(promise, index, today):
    for number, (year, quarter) in enumerate(
        schedule.quarters_overlapping(promise.valid_from, promise.valid_until)
    ):
        delay = ROUND_DELAYS[(index + number) % len(ROUND_DELAYS)]
        if delay is None:
            continue
        published = timezone.make_aware(
            dt.datetime.combine(
                schedule.quarter_bounds(year, quarter)[1] + dt.timedelta(days=delay), dt.time(10)
            )
        )
        if published.date() > today:
            break
        upsert(
            FollowUpRound,
            promise=promise,
            year=year,
            quarter=quarter,
            defaults={
                "summary": "Arbetet följdes upp i det lokala brottsförebyggande rådet.",
                "state": FollowUpRound.State.PUBLISHED,
                "published_at": published,
            },
        )


def load_sample():
    today = timezone.localdate()
    themes = list(Theme.objects.all())
    for index, (code, first_year, last_year) in enumerate(SAMPLE):
        municipality = Party.objects.get(municipality_code=code)
        police_area = _police_area(municipality)
        valid_from = dt.date(first_year, 1, 1)
        slug = f"exempel-{municipality.slug}-{first_year}"
        existing = Promise.objects.filter(slug=slug).first()
        if existing and existing.status != Promise.Status.PUBLISHED:
            continue  # moved on by the workflow: left alone
        years = str(first_year) if first_year == last_year else f"{first_year}–{last_year}"
        promise, _ = upsert(
            Promise,
            slug=slug,
            defaults={
                "title": f"Medborgarlöfte {municipality.name} {years} (exempel)",
                "summary": SUMMARY,
                "goal": "Ökad trygghet för alla som bor och vistas i kommunen.",
                "valid_from": valid_from,
                "valid_until": dt.date(last_year, 12, 31),
                "status": Promise.Status.PUBLISHED,
                "published_at": timezone.make_aware(
                    dt.datetime.combine(valid_from - dt.timedelta(days=20), dt.time(9))
                ),
            },
        )
        promise.parties.set([municipality, police_area])
        for order in range(2):
            title = FOCUS_AREAS[(index * 3 + order * 4) % len(FOCUS_AREAS)]
            area, _ = upsert(FocusArea, promise=promise, title=title, defaults={"order": order})
            if not area.themes.exists():
                area.themes.set([theme for theme in themes if theme.matches(title)])
            commitment, _ = upsert(
                Commitment,
                promise=promise,
                order=order,
                defaults={"focus_area": area, "text": f"Vi arbetar gemensamt med: {title}."},
            )
            commitment.owners.set([municipality, police_area])
        _load_rounds(promise, index, today)
