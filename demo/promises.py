"""Demo parties, agreements and promises, from the facts of the five seed texts.

The texts are our own summaries; dates, places, parties and who commits to what follow the
seeds. The current Olofström promise and the draft for Sölvesborg are examples built on them.
"""

import datetime as dt

from django.utils import timezone

from promises.models import Agreement, Commitment, FocusArea, Party, Promise

from .upsert import upsert

POLICE, MUNICIPALITY, JOINT = "police", "municipality", "joint"

POLICE_AREAS = [
    # (slug, name, police region, municipality codes it covers)
    ("lpo-karlshamn", "Lokalpolisområde Karlshamn", "Syd", ["1060", "1082", "1083"]),
    ("lpo-sodra-fyrbodal", "Lokalpolisområde Södra Fyrbodal", "Väst", ["1415", "1419", "1421"]),
    ("lpo-vastervik", "Lokalpolisområde Västervik", "Syd", ["0882", "0883"]),
]

AGREEMENTS = [
    {
        "slug": "samverkan-solvesborg-2022-2026",
        "title": "Samverkansöverenskommelse Sölvesborg 2022–2026",
        "parties": ["1083", "lpo-karlshamn"],
        "valid_from": dt.date(2022, 1, 1),
        "valid_until": dt.date(2026, 12, 31),
        "summary": (
            "Ramen för hur Sölvesborgs kommun och lokalpolisområde Karlshamn samverkar: gemensam "
            "lägesbild och kommunikation, förebyggande arbete för barn och unga, ANDTS samt "
            "trygghetsskapande och brottsförebyggande insatser."
        ),
    },
    {
        "slug": "samverkan-olofstrom-2024-2027",
        "title": "Samverkansöverenskommelse Olofström 2024–2027",
        "parties": ["1060", "lpo-karlshamn"],
        "valid_from": dt.date(2024, 1, 1),
        "valid_until": dt.date(2027, 12, 31),
        "summary": (
            "Exempel: överenskommelsen som kommunen och polisen tar fram utifrån lägesbilden och "
            "trygghetsmätningen, och som medborgarlöftena bygger på."
        ),
    },
]

PROMISES = [
    {
        "slug": "olofstrom-2021",
        "title": "Medborgarlöfte Olofström 2021",
        "parties": ["1060", "lpo-karlshamn"],
        "valid_from": dt.date(2021, 1, 18),
        "valid_until": dt.date(2021, 12, 31),
        "status": Promise.Status.PUBLISHED,
        "summary": "Tryggare miljöer för barn och unga och säkrare trafik i Olofström.",
        "goal": (
            "Färre brott och större trygghet för alla som bor, arbetar och vistas i "
            "Olofströms kommun."
        ),
        "background": (
            "Sedan våren 2020 följer kommunen och polisen läget för brott och trygghet "
            "systematiskt. Den brottsförebyggande arbetsgruppen, där kommunens förvaltningar, "
            "fastighetsägare, föreningar och polisen ingår, går igenom lägesbilden varje månad. "
            "Den pekar ut två områden att prioritera: barns och ungas trygghet och trafiken."
        ),
        "how_to_follow": (
            "Arbetet redovisas på kommunens och polisens webbplatser och i deras sociala medier."
        ),
        "focus_areas": [
            ("Trygghet för barn och unga", "Miljöer där barn och unga finns ska vara trygga."),
            ("Trafiksäkerhet", "Säkrare trafikmiljöer i hela kommunen."),
        ],
        "commitments": [
            (0, POLICE, "Förebygga brott och skapa trygghet i skolan och där ungdomar samlas."),
            (1, POLICE, "Arbeta med trafiken utifrån invånarnas synpunkter och underrättelser."),
            (0, MUNICIPALITY, "Verka för att vuxna finns på plats där barn och unga vistas."),
            (0, MUNICIPALITY, "Fortsätta det förebyggande arbetet kring ANDTS."),
            (0, MUNICIPALITY, "Utveckla det systematiska trygghetsarbetet i skolorna."),
            (0, MUNICIPALITY, "Erbjuda trygga och lockande miljöer och fritidsaktiviteter."),
            (
                1,
                MUNICIPALITY,
                "Hitta brister i den fysiska trafikmiljön genom dialoger och synpunkter, "
                "och åtgärda platserna löpande.",
            ),
            (None, JOINT, "Utveckla den gemensamma lägesbilden."),
            (None, JOINT, "Låta den aktuella lägesbilden styra besluten om åtgärder."),
            (None, JOINT, "Utveckla den gemensamma kommunikationen."),
        ],
    },
    {
        "slug": "olofstrom-barn-och-unga",
        "title": "Vi stärker tryggheten där barn och unga vistas",
        "agreement": "samverkan-olofstrom-2024-2027",
        "parties": ["1060", "lpo-karlshamn"],
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2027, 12, 31),
        "status": Promise.Status.PUBLISHED,
        "summary": "Vuxna på plats, trygga fritidsmiljöer och säker trafik i Olofström.",
        "goal": (
            "Öka tryggheten och minska brottsligheten för dem som bor, verkar och vistas i "
            "Olofströms kommun."
        ),
        "background": (
            "Den årliga trygghetsmätningen visar att oron för att utsättas för brott har "
            "minskat, liksom störningarna utomhus, men att fler känner sig otrygga. Oron för "
            "brott är större än den faktiska utsattheten. Tillsammans med lägesbilden från "
            "polisen, fältarbetare, fritidsverksamhet och socialtjänst visar den var insatserna "
            "gör mest nytta."
        ),
        "how_to_follow": (
            "Löftet följs upp varje kvartal och resultatet publiceras här och på kommunens "
            "och polisens webbplatser."
        ),
        "focus_areas": [
            ("Trygghet för barn och unga", "Trygga miljöer där barn och unga vistas."),
            ("Trafiksäkerhet", "Säkra trafikmiljöer."),
        ],
        "commitments": [
            (0, MUNICIPALITY, "Verka för vuxennärvaro där barn och unga finns."),
            (0, MUNICIPALITY, "Erbjuda trygga och attraktiva fritidsaktiviteter för unga."),
            (0, POLICE, "Förebygga brott och skapa trygghet i skolor och ungdomsmiljöer."),
            (1, POLICE, "Arbeta med trafiken utifrån dialog med invånare och underrättelser."),
        ],
    },
    {
        "slug": "stenungsund-orust-tjorn-2023-2024",
        "title": "Medborgarlöfte Stenungsund, Orust och Tjörn 2023–2024",
        "parties": ["1415", "1421", "1419", "lpo-sodra-fyrbodal"],
        "valid_from": dt.date(2023, 1, 1),
        "valid_until": dt.date(2024, 12, 31),
        "status": Promise.Status.PUBLISHED,
        "summary": (
            "Tre kommuner och ett lokalpolisområde tar sig an droger, kränkningar, våld och "
            "trafiken."
        ),
        "goal": (
            "På lång sikt öka invånarnas upplevda trygghet, minska brottsligheten bland unga "
            "och stoppa nyrekryteringen till kriminalitet."
        ),
        "background": (
            "Löftet riktar sig mot de problem som invånare och verksamheter själva upplever. "
            "Arbetet bygger på aktuella lokala lägesbilder och organiseras enligt lagen om "
            "kommuners ansvar för brottsförebyggande arbete."
        ),
        "how_to_follow": "Läs mer om hur medborgarlöften tas fram på polisens webbplats.",
        "focus_areas": [],
        "commitments": [
            (
                None,
                POLICE,
                "Samverka brottsförebyggande med skola, socialtjänst, föreningar och näringsliv.",
            ),
            (
                None,
                POLICE,
                "Öka trafiksäkerheten tillsammans med motorintresserade unga och deras föräldrar.",
            ),
            (None, POLICE, "Trappa upp arbetet mot droger, kränkningar och våld bland unga."),
            (None, POLICE, "Prioritera särskilt utsatta brottsoffer."),
            (None, POLICE, "Så långt det går utgå från lägesbilden i de tre kommunerna."),
            (None, MUNICIPALITY, "Motverka kränkningar och psykisk ohälsa."),
            (
                None,
                MUNICIPALITY,
                "Minska buskörningen och öka trafiksäkerheten, särskilt kring A- och "
                "EPA-traktorer.",
            ),
            (None, MUNICIPALITY, "Stärka föräldrar tidigt."),
            (
                None,
                MUNICIPALITY,
                "Förebygga kriminalitet, våld i nära relationer och droganvändning i bred "
                "samverkan.",
            ),
            (None, MUNICIPALITY, "Få föreningar, företag och andra aktörer delaktiga."),
            (None, MUNICIPALITY, "Arbeta med trygghet och säkerhet i skolan."),
        ],
    },
    {
        "slug": "solvesborg-2022-2023",
        "title": "Medborgarlöfte Sölvesborg 2022–2023",
        "agreement": "samverkan-solvesborg-2022-2026",
        "parties": ["1083", "lpo-karlshamn"],
        "valid_from": dt.date(2022, 1, 1),
        "valid_until": dt.date(2023, 12, 31),
        "status": Promise.Status.PUBLISHED,
        "summary": "Mindre alkohol och droger, färre tillgreppsbrott och säkrare trafik.",
        "goal": "Minskad brottslighet och ökad trygghet för dem som bor i Sölvesborgs kommun.",
        "background": (
            "Kommunen och polisen arbetar utifrån en gemensam lokal lägesbild som ska vara så "
            "aktuell, rättvisande och detaljerad som möjligt. Den ligger till grund för löftets "
            "tre fokusområden."
        ),
        "how_to_follow": "Uppföljningen redovisas på kommunens webbplats.",
        "focus_areas": [
            (
                "Minskad tillgång till och konsumtion av alkohol och droger",
                "Mindre alkohol, narkotikaklassade läkemedel och droger ger färre brott och "
                "större trygghet.",
            ),
            (
                "Minskad tillgreppsbrottslighet",
                "Från snatteri och fickstölder till inbrott och rån: brott som drabbar både "
                "privatpersoner, företag och offentlig verksamhet.",
            ),
            (
                "Ökad trafiksäkerhet",
                "Alla ska kunna ta sig fram säkert och tryggt, hur de än färdas.",
            ),
        ],
        "commitments": [
            (
                0,
                JOINT,
                "Arbeta förebyggande för barn och unga vuxna utifrån den nationella "
                "ANDTS-strategin och regionens handlingsplaner.",
            ),
            (
                1,
                JOINT,
                "Motverka tillgreppsbrott med medborgardialog, grannsamverkan, närvaro och "
                "synlighet.",
            ),
            (
                2,
                JOINT,
                "Rikta det förebyggande arbetet mot platser där olyckor kan ske och trafiken "
                "känns otrygg.",
            ),
        ],
    },
    {
        "slug": "oskarshamn-2024-2025",
        "title": "Medborgarlöften Oskarshamn 2024–2025",
        "parties": ["0882", "lpo-vastervik"],
        "valid_from": dt.date(2024, 1, 1),
        "valid_until": dt.date(2025, 12, 31),
        "status": Promise.Status.PUBLISHED,
        "summary": "Fem områden och sexton insatser för ett tryggare Oskarshamn.",
        "goal": "Öka tryggheten och minska den brottslighet som påverkar invånarnas vardag.",
        "background": (
            "Trygghetsundersökningarna visar att Oskarshamn är en trygg kommun, men också "
            "var det finns mer att göra. Kommunpolisen och kommunens brottsförebyggande "
            "samordnare har utifrån det valt fem områden."
        ),
        "how_to_follow": (
            "Löftena följs upp minst fyra gånger om året i det lokala brottsförebyggande rådet, "
            "och resultaten publiceras i kommunens och polisens digitala kanaler."
        ),
        "focus_areas": [
            ("Trafiksäkerhet", ""),
            ("Brottsförebyggande arbete med fokus på unga", ""),
            ("Unga kvinnor och Oskarshamns centrum", "Trygghet i centrum och krogmiljön."),
            ("Bedrägerier", ""),
            ("Narkotika", ""),
        ],
        "commitments": [
            (0, JOINT, "Informera föräldrar och vårdnadshavare om reglerna för A-traktorer."),
            (0, MUNICIPALITY, "Utveckla insatser med och för motorintresserade unga."),
            (0, POLICE, "Bedriva ett strategiskt och underrättelsestyrt trafiksäkerhetsarbete."),
            (1, JOINT, "Informera om brott på nätet."),
            (1, JOINT, "Hålla temakvällar för vårdnadshavare om barn, unga och brott."),
            (1, MUNICIPALITY, "Utveckla trygghetsarbetet på kommunens skolor."),
            (1, POLICE, "Vara mer närvarande och synliga på skolorna."),
            (1, POLICE, "Genomföra informationsinsatser för högstadieelever."),
            (2, JOINT, "Samverka kring tillsynen av alkoholservering."),
            (
                2,
                JOINT,
                "Starta en fokusgrupp med unga kvinnor för att förstå deras otrygghet bättre.",
            ),
            (2, POLICE, "Finnas i krogmiljön och fotpatrullera utvalda hotspots."),
            (3, JOINT, "Informera om hur man skyddar sig mot bedrägerier, främst de mest utsatta."),
            (3, MUNICIPALITY, "Erbjuda stöd till bedrägeriutsatta tillsammans med civilsamhället."),
            (3, JOINT, "Löpande dela brottsförebyggande information med invånarna."),
            (4, JOINT, "Erbjuda stöd till alla som rapporteras för narkotikabrott."),
            (4, JOINT, "Informera föräldrar om droger bland unga."),
            (4, POLICE, "Fortsätta det offensiva arbetet mot narkotika."),
        ],
    },
    {
        "slug": "solvesborg-2026-2027",
        "title": "Medborgarlöfte Sölvesborg 2026–2027 (utkast)",
        "agreement": "samverkan-solvesborg-2022-2026",
        "parties": ["1083", "lpo-karlshamn"],
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2026, 12, 31),
        "status": Promise.Status.DRAFT,
        "summary": "Ett utkast som ännu inte är publicerat.",
        "goal": "Fortsatt minskad brottslighet och ökad trygghet i Sölvesborg.",
        "background": "",
        "how_to_follow": "",
        "focus_areas": [("Ökad trafiksäkerhet", "")],
        "commitments": [(0, JOINT, "Följa upp olycksplatserna från förra perioden.")],
    },
]


def load_parties():
    """Police areas and partners of the demo; municipalities come from the reference data."""
    for slug, name, region, codes in POLICE_AREAS:
        police_area, _ = upsert(
            Party,
            slug=slug,
            defaults={"kind": Party.Kind.POLICE_AREA, "name": name, "police_region": region},
        )
        Party.objects.filter(municipality_code__in=codes).exclude(police_area=police_area).update(
            police_area=police_area
        )


def party(key):
    """A party by municipality code ("1060") or slug ("lpo-karlshamn")."""
    if key.isdigit():
        return Party.objects.get(municipality_code=key)
    return Party.objects.get(slug=key)


def load_agreements():
    for data in AGREEMENTS:
        data = dict(data)
        parties = [party(key) for key in data.pop("parties")]
        agreement, _ = upsert(Agreement, slug=data.pop("slug"), defaults=data)
        agreement.parties.set(parties)


def load_promises():
    for data in PROMISES:
        data = dict(data)
        parties = [party(key) for key in data.pop("parties")]
        focus_areas = data.pop("focus_areas")
        commitments = data.pop("commitments")
        agreement_slug = data.pop("agreement", None)
        data["agreement"] = Agreement.objects.get(slug=agreement_slug) if agreement_slug else None
        promise = Promise.objects.filter(slug=data["slug"]).first()
        if promise and promise.status != data["status"]:
            # The workflow moved it on (demo/review.py, or a tester in the admin): the demo never
            # moves a promise back, nor touches its signed-off content.
            continue
        if promise and promise.published_at:
            data["published_at"] = promise.published_at
        elif data["status"] == Promise.Status.PUBLISHED:
            data["published_at"] = timezone.make_aware(
                dt.datetime.combine(data["valid_from"], dt.time(9))
            )
        promise, _ = upsert(Promise, slug=data.pop("slug"), defaults=data)
        promise.parties.set(parties)

        areas = []
        for order, (title, description) in enumerate(focus_areas):
            area, _ = upsert(
                FocusArea,
                promise=promise,
                title=title,
                defaults={"description": description, "order": order},
            )
            areas.append(area)

        owners_by_group = {
            POLICE: [p for p in parties if p.kind == Party.Kind.POLICE_AREA],
            MUNICIPALITY: [p for p in parties if p.kind == Party.Kind.MUNICIPALITY],
        }
        owners_by_group[JOINT] = owners_by_group[POLICE] + owners_by_group[MUNICIPALITY]
        for order, (area_index, group, text) in enumerate(commitments):
            commitment, _ = upsert(
                Commitment,
                promise=promise,
                order=order,
                defaults={
                    "text": text,
                    "focus_area": None if area_index is None else areas[area_index],
                },
            )
            commitment.owners.set(owners_by_group[group])


def load():
    load_parties()
    load_agreements()
    load_promises()
