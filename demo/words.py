"""Swedish-sounding text for the national dataset, built from our own word lists."""

SUBJECTS = [
    "Kommunen",
    "Polisen",
    "Vi",
    "Kommunen och polisen",
    "Fältgruppen",
    "Skolan",
    "Socialtjänsten",
    "Fritidsförvaltningen",
    "Bostadsbolaget",
    "Trygghetssamordnaren",
    "Kommunpolisen",
    "Räddningstjänsten",
    "Föreningslivet",
    "Arbetsgruppen",
]

VERBS = [
    ("utvecklar", "Utveckla"),
    ("stärker", "Stärka"),
    ("följer upp", "Följa upp"),
    ("samordnar", "Samordna"),
    ("kartlägger", "Kartlägga"),
    ("genomför", "Genomföra"),
    ("prioriterar", "Prioritera"),
    ("utökar", "Utöka"),
    ("förbättrar", "Förbättra"),
    ("planerar", "Planera"),
    ("fördjupar", "Fördjupa"),
    ("säkerställer", "Säkerställa"),
    ("ser över", "Se över"),
    ("breddar", "Bredda"),
]

OBJECTS = [
    "arbetet med trygghetsvandringar",
    "närvaron i centrum",
    "samverkan med föreningslivet",
    "belysningen längs gång- och cykelvägar",
    "kontrollerna av hastigheten",
    "insatserna mot narkotikahandel",
    "dialogen med de boende",
    "stödet till unga i riskzonen",
    "tillsynen av krogar och restauranger",
    "det förebyggande arbetet mot våld i nära relationer",
    "lägesbilden om brott och otrygghet",
    "arbetet mot nedskräpning och skadegörelse",
    "föräldravandringarna",
    "kameraövervakningen på utsatta platser",
    "samarbetet med skolan kring frånvaro",
    "insatserna mot bedrägerier mot äldre",
    "informationen om inbrottsskydd",
    "grannsamverkan i bostadsområdena",
    "utbudet av meningsfull fritid",
    "trafikkontrollerna vid skolorna",
    "de sociala insatsgrupperna",
    "arbetet mot langning av alkohol",
    "uppsökande arbete bland unga vuxna",
    "städningen och skötseln av offentliga platser",
]

PLACES = [
    "i centrum",
    "kring stationen",
    "vid skolorna",
    "i bostadsområdena",
    "på helger och kvällar",
    "under sommarlovet",
    "i hela kommunen",
    "längs stråken till och från skolan",
    "vid torget",
    "i parkerna",
    "kring idrottsplatserna",
    "på landsbygden",
    "i de mindre orterna",
    "vid badplatserna",
]

PURPOSES = [
    "så att fler känner sig trygga",
    "för att minska antalet brott",
    "så att färre unga dras in i kriminalitet",
    "för att fler ska våga röra sig ute på kvällen",
    "så att problemen upptäcks tidigt",
    "för att stärka förtroendet för polisen",
    "så att de boende får bättre information",
    "för att bryta negativa trender",
]

OBSERVATIONS = [
    "Trygghetsmätningen visar att oron för brott har minskat något",
    "Fler än tidigare uppger att de undviker vissa platser",
    "Anmälningarna om skadegörelse har ökat under det senaste året",
    "Lägesbilden pekar på en tydlig koppling mellan narkotika och våld",
    "Boende har i dialoger lyft fram otrygghet kring stationen",
    "Fältgruppen ser fler unga ute sent på helgerna",
    "Antalet inbrott i villor och fritidshus har minskat",
    "Polisen har fått fler tips om vårdslös körning",
    "Äldre har i högre grad utsatts för bedrägerier",
    "Skolorna rapporterar färre konflikter på rasterna",
]

FOCUS_AREAS = [
    "Trygghet för barn och unga",
    "Trafiksäkerhet",
    "Narkotika och ANDTS",
    "Trygga offentliga miljöer",
    "Våld i nära relationer",
    "Brott mot äldre",
    "Ordning i centrum",
    "Skadegörelse och nedskräpning",
    "Inbrott och stölder",
    "Organiserad brottslighet",
    "Krogmiljön",
    "Trygghet i bostadsområden",
]

TITLES = [
    "Medborgarlöfte {name} {years}",
    "Tillsammans för ett tryggare {name}",
    "Trygghet i {name} {years}",
    "Ett tryggare {name} för alla",
    "Medborgarlöfte för {name}",
]

FORUMS = ["Lokala brottsförebyggande rådet", "Samverkansgruppen", "Trygghetsrådet", "Styrgruppen"]


def sentence(rng):
    purpose = rng.choice(PURPOSES) if rng.random() < 0.7 else ""
    verb = rng.choice(VERBS)[0]
    text = f"{rng.choice(SUBJECTS)} {verb} {rng.choice(OBJECTS)} {rng.choice(PLACES)}"
    return f"{text} {purpose}.".replace(" .", ".")


def observation(rng):
    return f"{rng.choice(OBSERVATIONS)} {rng.choice(PLACES)}."


def paragraph(rng, sentences, observations=0):
    parts = [observation(rng) for _ in range(observations)]
    parts += [sentence(rng) for _ in range(sentences)]
    return " ".join(parts)


def commitment(rng):
    verb = rng.choice(VERBS)[1]
    text = f"{verb} {rng.choice(OBJECTS)} {rng.choice(PLACES)}"
    if rng.random() < 0.6:
        text += f" {rng.choice(PURPOSES)}"
    if rng.random() < 0.3:
        text += f". {sentence(rng)}"
    else:
        text += "."
    return text
