"""Demo situation pictures and safety surveys for Olofström, Oskarshamn and Sölvesborg.

The survey numbers are synthetic and marked as example data; the problems follow what the
seed promises say their situation pictures showed, in our own words.
"""

import datetime as dt
from decimal import Decimal

from promises.models import Commitment, FocusArea, Party, Promise
from situation.models import (
    ActionPlan,
    Indicator,
    Place,
    Problem,
    SafetySurvey,
    SituationPicture,
    SurveyResult,
    Visibility,
)

from .upsert import upsert

# Synthetic trends: (indicator, group, first value, change per year). Olofström's follows its
# promise's background: less worry and fewer disturbances, yet more people feel unsafe.
SURVEY_TRENDS = {
    "1060": [
        ("oro-brott", "all", "31", "-1.4"),
        ("otrygg-kvall", "all", "22", "1.1"),
        ("otrygg-kvall", "women-16-29", "38", "1.6"),
        ("problem-ordningsstorningar", "all", "18", "-0.9"),
        ("problem-trafik", "all", "44", "-0.6"),
        ("utsatt-brott", "all", "12", "-0.3"),
        ("fortroende-polis", "all", "58", "0.8"),
    ],
    "0882": [
        ("oro-brott", "all", "27", "-0.5"),
        ("otrygg-kvall", "all", "20", "0.7"),
        ("otrygg-kvall", "women-16-29", "41", "1.2"),
        ("undvikit-platser", "women-16-29", "33", "0.9"),
        ("problem-trafik", "all", "39", "1.3"),
        ("utsatt-brott", "65+", "9", "0.6"),
        ("fortroende-polis", "all", "61", "-0.4"),
    ],
    "1083": [
        ("oro-brott", "all", "29", "-0.8"),
        ("otrygg-kvall", "all", "19", "0"),
        ("problem-narkotikahandel", "all", "14", "0.5"),
        ("problem-nedskrapning", "all", "35", "-1.2"),
        ("problem-trafik", "all", "41", "-0.7"),
    ],
}
SURVEY_YEARS = {
    "1060": range(2019, 2026),
    "0882": range(2020, 2026),
    # Sölvesborg skipped 2021, so its charts show a year without a survey.
    "1083": [2019, 2020, 2022, 2023, 2024, 2025],
}

PICTURES = [
    {
        "title": "Lägesbild Olofström 2026",
        "municipality": "1060",
        "police_area": "lpo-karlshamn",
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2026, 12, 31),
        "decided_on": dt.date(2025, 11, 20),
        "crime_mapping": (
            "Exempel: anmälda brott ligger på en stabil nivå. Skadegörelse och ordningsstörningar "
            "koncentreras till centrum kvällstid."
        ),
        "analysis": (
            "Exempel: få vuxna rör sig i centrum på kvällarna och det saknas mötesplatser för "
            "unga, vilket gör att grupper samlas utomhus."
        ),
        "sources": "Polisens underrättelser, fältarbetare, skolor, trygghetsmätningen.",
        "public_summary": (
            "Den gemensamma lägesbilden för 2026 visar att oron för brott minskar men att fler "
            "känner sig otrygga ute på kvällen, särskilt unga kvinnor. Centrum och busstationen "
            "pekas ut som platser där problemen samlas. Trafiken upplevs fortfarande som ett av "
            "de största problemen."
        ),
        "places": [
            ("Centrum", Place.Kind.CENTRE, "Torget och gågatan.", "56.27680", "14.53080"),
            ("Busstationen", Place.Kind.STATION, "", "56.27750", "14.52690"),
            ("Genomfarten", Place.Kind.ROAD, "Huvudgatan genom tätorten.", None, None),
        ],
        "problems": [
            {
                "title": "Unga samlas sent i centrum",
                "category": Problem.Category.YOUTH,
                "source": Problem.Source.FIELD_WORKERS,
                "trend": Problem.Trend.RISING,
                "observed_on": dt.date(2026, 1, 14),
                "visibility": Visibility.PUBLIC,
                "description": (
                    "Grupper av unga uppehåller sig i centrum sent på kvällarna, och "
                    "förbipasserande upplever det som otryggt."
                ),
                "cause_analysis": "Få vuxna i rörelse och få öppna mötesplatser för unga.",
                "places": ["Centrum", "Busstationen"],
                "focus_areas": ["Trygghet för barn och unga"],
                "commitments": ["Verka för vuxennärvaro där barn och unga finns."],
                "indicators": ["otrygg-kvall", "problem-ordningsstorningar"],
            },
            {
                "title": "Hög fart på genomfarten",
                "category": Problem.Category.TRAFFIC,
                "source": Problem.Source.DIALOGUE,
                "trend": Problem.Trend.STABLE,
                "observed_on": dt.date(2026, 2, 3),
                "visibility": Visibility.PUBLIC,
                "description": "Invånare beskriver höga hastigheter och buskörning på kvällar.",
                "cause_analysis": "",
                "places": ["Genomfarten"],
                "focus_areas": ["Trafiksäkerhet"],
                "commitments": [],
                "indicators": ["problem-trafik"],
            },
            {
                "title": "Misstänkt langning vid busstationen",
                "category": Problem.Category.NARCOTICS,
                "source": Problem.Source.POLICE,
                "trend": Problem.Trend.UNKNOWN,
                "observed_on": dt.date(2026, 2, 10),
                "visibility": Visibility.INTERNAL,
                "description": "Exempel på en intern uppgift som aldrig visas för invånare.",
                "cause_analysis": "",
                "places": ["Busstationen"],
                "focus_areas": ["Trygghet för barn och unga"],
                "commitments": [],
                "indicators": [],
            },
        ],
        "promise": "olofstrom-barn-och-unga",
    },
    {
        "title": "Lägesbild Oskarshamn 2024–2025",
        "municipality": "0882",
        "police_area": "lpo-vastervik",
        "valid_from": dt.date(2024, 1, 1),
        "valid_until": dt.date(2025, 12, 31),
        "decided_on": dt.date(2023, 11, 15),
        "crime_mapping": (
            "Exempel: bedrägerier mot äldre ökar, liksom anmälningar om trafik med A-traktorer."
        ),
        "analysis": (
            "Exempel: otryggheten bland unga kvinnor hänger ihop med krogmiljön och med hur "
            "centrum är upplyst och används på kvällen."
        ),
        "sources": "Polisens data, trygghetsundersökningen, medborgardialog, trygghetsvandring.",
        "public_summary": (
            "Oskarshamn är i stort en trygg kommun. Lägesbilden visar ändå att unga kvinnor "
            "känner sig otrygga i centrum och i krogmiljön, att trafiken med A-traktorer oroar, "
            "att äldre drabbas av bedrägerier och att narkotika finns bland unga."
        ),
        "places": [
            ("Centrum", Place.Kind.CENTRE, "", "57.26460", "16.44840"),
            ("Krogstråket", Place.Kind.NIGHTLIFE, "Restaurangerna kring hamnen.", None, None),
            ("Vägarna runt tätorten", Place.Kind.ROAD, "", None, None),
        ],
        "problems": [
            {
                "title": "Unga kvinnor känner sig otrygga i centrum",
                "category": Problem.Category.DISORDER,
                "source": Problem.Source.SURVEY,
                "trend": Problem.Trend.RISING,
                "observed_on": dt.date(2024, 1, 22),
                "visibility": Visibility.PUBLIC,
                "description": (
                    "Trygghetsundersökningen visar att unga kvinnor oftare än andra undviker "
                    "centrum på kvällen."
                ),
                "cause_analysis": "Behöver fördjupas, bland annat genom en fokusgrupp.",
                "places": ["Centrum", "Krogstråket"],
                "focus_areas": ["Unga kvinnor och Oskarshamns centrum"],
                "commitments": [
                    "Starta en fokusgrupp med unga kvinnor för att förstå deras otrygghet bättre.",
                    "Finnas i krogmiljön och fotpatrullera utvalda hotspots.",
                ],
                "indicators": ["otrygg-kvall", "undvikit-platser"],
            },
            {
                "title": "Buskörning med A-traktorer",
                "category": Problem.Category.TRAFFIC,
                "source": Problem.Source.POLICE,
                "trend": Problem.Trend.RISING,
                "observed_on": dt.date(2024, 2, 5),
                "visibility": Visibility.PUBLIC,
                "description": "Ombyggda fordon körs fort och trafikfarligt, ofta av unga.",
                "cause_analysis": "Många föräldrar känner inte till reglerna.",
                "places": ["Vägarna runt tätorten"],
                "focus_areas": ["Trafiksäkerhet"],
                "commitments": [
                    "Informera föräldrar och vårdnadshavare om reglerna för A-traktorer."
                ],
                "indicators": ["problem-trafik"],
            },
            {
                "title": "Bedrägerier mot äldre",
                "category": Problem.Category.FRAUD,
                "source": Problem.Source.POLICE,
                "trend": Problem.Trend.RISING,
                "observed_on": dt.date(2024, 3, 12),
                "visibility": Visibility.PUBLIC,
                "description": "Telefon- och nätbedrägerier riktas särskilt mot äldre invånare.",
                "cause_analysis": "",
                "places": [],
                "focus_areas": ["Bedrägerier"],
                "commitments": [
                    "Informera om hur man skyddar sig mot bedrägerier, främst de mest utsatta."
                ],
                "indicators": ["utsatt-brott"],
            },
            {
                "title": "Oro i krogmiljön efter stängning",
                "category": Problem.Category.VIOLENCE,
                "source": Problem.Source.POLICE,
                "trend": Problem.Trend.STABLE,
                "observed_on": dt.date(2024, 4, 2),
                "visibility": Visibility.INTERNAL,
                "description": "Exempel på en intern uppgift om våld vid stängningsdags.",
                "cause_analysis": "",
                "places": ["Krogstråket"],
                "focus_areas": [],
                "commitments": [],
                "indicators": [],
            },
        ],
        "promise": "oskarshamn-2024-2025",
    },
]


def load_surveys():
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    for code, trends in SURVEY_TRENDS.items():
        area = Party.objects.get(municipality_code=code)
        for offset, year in enumerate(SURVEY_YEARS[code]):
            survey, _ = upsert(
                SafetySurvey,
                area=area,
                year=year,
                defaults={
                    "conducted_by": "Exempeldata",
                    "method": "Påhittade siffror som visar hur sidan fungerar.",
                    "sample_size": 2000,
                    "respondents": 900 + 20 * offset,
                    "response_rate": Decimal(45 + offset),
                    "is_published": True,
                    "is_example": True,
                },
            )
            for indicator_code, group, start, change in trends:
                value = Decimal(start) + Decimal(change) * (year - SURVEY_YEARS[code][0])
                upsert(
                    SurveyResult,
                    survey=survey,
                    indicator=indicators[indicator_code],
                    group=group,
                    defaults={"value": value.quantize(Decimal("0.1"))},
                )


def load_pictures():
    for data in PICTURES:
        data = dict(data)
        municipality = Party.objects.get(municipality_code=data.pop("municipality"))
        police_area = Party.objects.get(slug=data.pop("police_area"))
        places = data.pop("places")
        problems = data.pop("problems")
        promise = Promise.objects.get(slug=data.pop("promise"))
        picture, _ = upsert(
            SituationPicture,
            title=data.pop("title"),
            defaults={**data, "police_area": police_area, "visibility": Visibility.PUBLIC},
        )
        picture.municipalities.set([municipality])

        places_by_name = {}
        for name, kind, description, latitude, longitude in places:
            place, _ = upsert(
                Place,
                municipality=municipality,
                name=name,
                defaults={
                    "kind": kind,
                    "description": description,
                    "latitude": Decimal(latitude) if latitude else None,
                    "longitude": Decimal(longitude) if longitude else None,
                },
            )
            places_by_name[name] = place

        for problem_data in problems:
            problem_data = dict(problem_data)
            links = {
                name: problem_data.pop(name)
                for name in ("places", "focus_areas", "commitments", "indicators")
            }
            problem, _ = upsert(
                Problem, picture=picture, title=problem_data.pop("title"), defaults=problem_data
            )
            problem.places.set([places_by_name[name] for name in links["places"]])
            problem.focus_areas.set(
                FocusArea.objects.filter(promise=promise, title__in=links["focus_areas"])
            )
            problem.commitments.set(
                Commitment.objects.filter(promise=promise, text__in=links["commitments"])
            )
            problem.indicators.set(Indicator.objects.filter(code__in=links["indicators"]))


# The municipality's action plan (åtgärdsplan, law 2023:196), decided on the 2026 picture.
ACTION_PLANS = [
    {
        "title": "Åtgärdsplan för ett tryggare Olofström 2026–2027",
        "municipality": "1060",
        "decided_by": "Kommunstyrelsen",
        "decided_on": dt.date(2025, 12, 9),
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2027, 12, 31),
        "summary": (
            "Exempel: planen samlar det kommunen gör de närmaste två åren mot det lägesbilden "
            "visar. Fler vuxna ska röra sig i centrum på kvällarna, och unga ska ha fler "
            "öppna mötesplatser. Planen följs upp varje kvartal tillsammans med polisen."
        ),
        "promise": "olofstrom-barn-och-unga",
        "commitments": [
            "Verka för vuxennärvaro där barn och unga finns.",
            "Erbjuda trygga och attraktiva fritidsaktiviteter för unga.",
        ],
    }
]


def load_action_plans():
    for data in ACTION_PLANS:
        data = dict(data)
        municipality = Party.objects.get(municipality_code=data.pop("municipality"))
        promise = Promise.objects.get(slug=data.pop("promise"))
        commitments = data.pop("commitments")
        plan, _ = upsert(
            ActionPlan, municipality=municipality, title=data.pop("title"), defaults=data
        )
        plan.commitments.set(Commitment.objects.filter(promise=promise, text__in=commitments))


def load():
    load_surveys()
    load_pictures()
    load_action_plans()
