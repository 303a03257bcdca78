"""A promise's whole life in the demo: the Olofström 2021 promise closed with its assessment,
the current Olofström promise continuing it, and (with the demo accounts) a revision of the
current promise in review, signed by the municipality and waiting for the police.

The assessment is demo content like the promises themselves (loaded as published); the
revision is the workflow's own (promises/services.py) acting as the demo users.
"""

from promises import services
from promises.models import Commitment, Promise

from . import users
from .upsert import upsert

CLOSED = "olofstrom-2021"
CONTINUED = "olofstrom-barn-och-unga"

OUTCOME = (
    "Skolgårdar och ungdomsmiljöer fick fler vuxna på plats och polisen fanns oftare där unga "
    "samlas. Trafikarbetet kom i gång men blev inte klart, och den gemensamma lägesbilden "
    "behöver bli en vana. Det arbetet fortsätter i nästa löfte."
)
# Commitment order → (completion level, what came of it), in our own words.
COMPLETIONS = {
    0: ("substantial", "Polisen besökte skolorna varje termin; arbetet fortsätter."),
    1: ("limited", "Några platser åtgärdades efter invånarnas tips, men långt ifrån alla."),
    2: ("substantial", "Nattvandringar och fältarbete kom i gång i centrum."),
    3: ("complete", "Alla högstadieklasser fick ANDTS-undervisning under året."),
    4: ("complete", "Varje skola har en plan för trygghetsarbetet."),
    5: ("complete", "Fritidsgården fick längre öppettider och fler aktiviteter."),
    6: ("limited", "Dialoger hölls i två kommundelar; åtgärderna fortsätter."),
    7: ("complete", "Lägesbilden tas fram gemensamt varje månad."),
    8: ("substantial", "Lägesbilden låg till grund för de flesta besluten."),
    9: ("not_started", "Den gemensamma kommunikationen hann inte komma i gång."),
}
# The continued promise's commitment order → the 2021 commitment order it carries on.
PREDECESSORS = {0: 2, 2: 0, 3: 1}

REVISION_NOTE = (
    "Vi förtydligar att fritidsaktiviteterna ska finnas i alla kommundelar, efter synpunkter "
    "från unga i Jämshög och Kyrkhult."
)
REVISED_TEXT = "Erbjuda trygga och attraktiva fritidsaktiviteter för unga i alla kommundelar."


def load_assessment():
    closed = Promise.objects.filter(slug=CLOSED, status=Promise.Status.PUBLISHED).first()
    if closed is None:
        return None
    upsert(Promise, slug=CLOSED, defaults={"outcome": OUTCOME})
    for order, (level, note) in COMPLETIONS.items():
        commitment = closed.commitments.filter(order=order).first()
        if commitment:
            upsert(
                Commitment,
                pk=commitment.pk,
                defaults={"completion": level, "completion_note": note},
            )
    return closed


def load_continuation(closed):
    following = Promise.objects.filter(slug=CONTINUED).first()
    if closed is None or following is None:
        return
    upsert(Promise, slug=CONTINUED, defaults={"continues": closed})
    for order, earlier in PREDECESSORS.items():
        commitment = following.commitments.filter(order=order).first()
        predecessor = closed.commitments.filter(order=earlier).first()
        if commitment and predecessor:
            upsert(Commitment, pk=commitment.pk, defaults={"predecessor": predecessor})


def load_revision():
    """The current Olofström promise revised, in review: started once, whatever came of it."""
    promise = Promise.objects.filter(slug=CONTINUED, status=Promise.Status.PUBLISHED).first()
    coordinator = users.existing("samordnare-olofstrom")
    if promise is None or coordinator is None:
        return
    if Promise.history.filter(revision_of=promise).exists():
        return  # a revision was started before (perhaps published or discarded since)
    revision = services.start_revision(promise=promise, user=coordinator)
    revision.change_note = REVISION_NOTE
    revision._history_user = coordinator
    revision.save()
    copy = revision.commitments.filter(order=1).first()
    if copy:
        copy.text = REVISED_TEXT
        copy.save()
    revision = services.submit_for_review(promise=revision, user=coordinator)
    services.approve(promise=revision, user=coordinator)


def load():
    load_continuation(load_assessment())
    load_revision()
