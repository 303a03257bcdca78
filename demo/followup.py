"""Demo follow-up: every quarter of Oskarshamn 2024–2025 published, and the current Olofström
promise with one published round, one awaiting the police's review and one overdue draft; its
rounds name the demo accounts who submitted and approved them, when those accounts exist."""

import datetime as dt

from django.utils import timezone

from followup.models import CommitmentStatus, FollowUpRound
from followup.schedule import quarter_bounds
from promises.models import Commitment, Promise

from . import users
from .upsert import upsert

S = CommitmentStatus.Status
CODES = {
    "N": S.NOT_STARTED,
    "O": S.ONGOING,
    "T": S.ON_TRACK,
    "R": S.AT_RISK,
    "L": S.DELAYED,
    "D": S.DONE,
    "C": S.CANCELLED,
}
FORUM = "Lokala brottsförebyggande rådet"

# What each status says about the quarter's work, in the demo's own words.
DONE_TEXT = {
    S.NOT_STARTED: "",
    S.ONGOING: "Arbetet har kommit igång och de första aktiviteterna är genomförda.",
    S.ON_TRACK: "Aktiviteterna för kvartalet genomfördes som planerat.",
    S.AT_RISK: "Bara en del av det planerade hanns med; bemanningen har varit ansträngd.",
    S.DELAYED: "Starten har skjutits upp i väntan på en samverkanspart.",
    S.DONE: "Insatsen är slutförd och har utvärderats i rådet.",
    S.CANCELLED: "Insatsen avslutades efter beslut i rådet; behovet möts på annat sätt.",
}
NEXT_TEXT = {
    S.NOT_STARTED: "Planeras inför nästa kvartal.",
    S.ONGOING: "Fortsätta enligt plan.",
    S.ON_TRACK: "Fortsätta enligt plan.",
    S.AT_RISK: "Rådet tar ställning till om insatsen behöver mer resurser.",
    S.DELAYED: "Ny tidplan tas fram till nästa möte.",
    S.DONE: "",
    S.CANCELLED: "",
}

# One letter per quarter (see CODES) for each commitment, in the promise's commitment order.
OSKARSHAMN = [
    "OOTTTTDD",
    "NOOORTTT",
    "OTTTTTTT",
    "OOOTTTTD",
    "NNOOTTDD",
    "OOTTTTTT",
    "TTTTTTTT",
    "OOTTDDDD",
    "OOOOTTTT",
    "NLLLOOTD",
    "OTTTTRTT",
    "OOTTTTTT",
    "NOOOOTTT",
    "TTTTTTTT",
    "NNLLLCCC",
    "OOOTTDDD",
    "TTTTTTTT",
]
OSKARSHAMN_SUMMARIES = [
    "Arbetet med löftena har startat. Rådet gick igenom vem som ansvarar för varje insats.",
    "De flesta insatser är i gång. Skolbesöken och trafikkontrollerna har ökat.",
    "Sommarens krogtillsyn och fotpatrullering i centrum genomfördes tillsammans.",
    "Fokusgruppen med unga kvinnor har träffats; förslagen tas om hand i planeringen.",
    "Ett år in i perioden: flera insatser går enligt plan, stödet till bedrägeriutsatta dröjer.",
    "Temakvällarna för vårdnadshavare var välbesökta. Informationen om A-traktorer är klar.",
    "Flera insatser är slutförda. Rådet beslutade att avsluta en insats som inte behövs längre.",
    "Perioden är slut. Rådet har sammanfattat arbetet inför nästa medborgarlöfte.",
]
OLOFSTROM = ["OTT", "OOO", "TRR", "OLL"]
OLOFSTROM_SUMMARIES = [
    "Vuxna har funnits på plats vid skolor och fritidsgårdar under kvartalet, och polisen har "
    "besökt högstadiet regelbundet.",
    "Fritidsaktiviteterna har utökats. Trafikarbetet har dröjt eftersom en planerad kontroll "
    "fick ställas in.",
]


def _moment(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _round(promise, year, quarter, state, summary, signers):
    """The demo round, or None when the workflow took it elsewhere in the admin: like
    demo/review.py, the demo never moves a round back (a published round back to submitted)."""
    existing = FollowUpRound.objects.filter(promise=promise, year=year, quarter=quarter).first()
    if existing and existing.state != state:
        return None
    end = quarter_bounds(year, quarter)[1]
    meeting = end + dt.timedelta(days=21)
    fields = {"state": state, "forum": FORUM, "summary": summary, "meeting_date": meeting}
    submitter, approver = (users.existing(name) if name else None for name in signers)
    if state != FollowUpRound.State.DRAFT:
        fields["submitted_at"] = _moment(meeting + dt.timedelta(days=2))
        # Without the demo accounts, a name once set stays rather than being cleared.
        if submitter:
            fields["submitted_by"] = submitter
    if state == FollowUpRound.State.PUBLISHED:
        fields["approved_at"] = _moment(meeting + dt.timedelta(days=5))
        fields["published_at"] = _moment(meeting + dt.timedelta(days=7))
        if approver:
            fields["approved_by"] = approver
    round_, _ = upsert(FollowUpRound, promise=promise, year=year, quarter=quarter, defaults=fields)
    return round_


def _progress(status, quarter_index):
    if status in (S.NOT_STARTED, S.DELAYED):
        return 0
    if status == S.DONE:
        return 100
    if status == S.CANCELLED:
        return None
    return min(90, 20 + 15 * quarter_index)


def _statuses(round_, commitments, letters_by_commitment, index):
    # Commitments added to the demo promise later simply get no demo status.
    for commitment, letters in zip(commitments, letters_by_commitment, strict=False):
        status = CODES[letters[min(index, len(letters) - 1)]]
        upsert(
            CommitmentStatus,
            round=round_,
            commitment=commitment,
            defaults={
                "status": status,
                "progress": _progress(status, index),
                "done_this_quarter": DONE_TEXT[status],
                "next_steps": NEXT_TEXT[status],
            },
        )


def _load_promise(slug, quarters, letters_by_commitment, signers=(None, None)):
    """signers: the demo accounts (coordinator, police) that submit and approve the rounds."""
    promise = Promise.objects.filter(slug=slug).first()
    if promise is None:
        return
    commitments = list(Commitment.objects.filter(promise=promise).order_by("order", "pk"))
    for index, (year, quarter, state, summary) in enumerate(quarters):
        round_ = _round(promise, year, quarter, state, summary, signers)
        if round_ is not None:
            _statuses(round_, commitments, letters_by_commitment, index)


def load():
    published = FollowUpRound.State.PUBLISHED
    quarters = [(2024 + i // 4, i % 4 + 1) for i in range(8)]
    _load_promise(
        "oskarshamn-2024-2025",
        [(y, q, published, s) for (y, q), s in zip(quarters, OSKARSHAMN_SUMMARIES, strict=True)],
        OSKARSHAMN,
    )
    _load_promise(
        "olofstrom-barn-och-unga",
        [
            (2026, 1, published, OLOFSTROM_SUMMARIES[0]),
            (2026, 2, FollowUpRound.State.SUBMITTED, OLOFSTROM_SUMMARIES[1]),
            # Q3 2026 is still a draft after its due date: the overdue example.
            (2026, 3, FollowUpRound.State.DRAFT, ""),
        ],
        OLOFSTROM,
        signers=("samordnare-olofstrom", "polis-karlshamn"),
    )
