"""The whole country at national scale, for load tests: `manage.py generate_national_dataset`.

Ten years (2017–2026) of promises, follow-up and safety surveys for every municipality the
migrations loaded, seen as of AS_OF. Every random choice comes from one seeded generator and
every table is filled with bulk inserts, so a run is fast and always produces the same country.
Rows are built whole and valid: the database's constraints apply as they do to the admin's
writes, and history rows are written for every model that keeps history.
"""

import copy
import datetime as dt
import random
import time
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.utils import timezone
from django.utils.text import slugify

from followup.models import CommitmentStatus, FollowUpRound
from followup.schedule import quarter_bounds
from promises.models import (
    Commitment,
    FocusArea,
    Membership,
    Party,
    Promise,
    PromiseApproval,
    Theme,
)
from situation.models import (
    Indicator,
    Problem,
    SafetySurvey,
    SituationPicture,
    SurveyGroup,
    SurveyResult,
    Visibility,
)

from . import words

# The day the generated country is seen from: what has been followed up, what is current.
# Fixed, so that every run makes the same country; it must lie before the day it is used.
AS_OF = dt.date(2026, 11, 1)
FIRST_YEAR, LAST_YEAR = 2017, 2026
MUNICIPALITIES, POLICE_AREAS = 290, 95
# Every account shares this password, hashed once (hashing is slow by design).
PASSWORD = "nationell"
SUPERUSER = "admin"
BATCH = 2000
# Promise lengths in years and their weights: about five promises per municipality in ten years.
PROMISE_YEARS = ([1, 2, 3], [25, 45, 30])
SURVEY_GROUPS = [
    SurveyGroup.ALL,
    SurveyGroup.WOMEN,
    SurveyGroup.MEN,
    SurveyGroup.AGE_16_29,
    SurveyGroup.AGE_65_PLUS,
]
STATUS_WEIGHTS = {
    CommitmentStatus.Status.NOT_STARTED: 5,
    CommitmentStatus.Status.ONGOING: 30,
    CommitmentStatus.Status.ON_TRACK: 30,
    CommitmentStatus.Status.AT_RISK: 8,
    CommitmentStatus.Status.DELAYED: 7,
    CommitmentStatus.Status.DONE: 17,
    CommitmentStatus.Status.CANCELLED: 3,
}


def exists():
    """Whether the database already holds promises or police areas (ours or anyone's)."""
    return Promise.objects.exists() or Party.objects.police_areas().exists()


def moment(day, rng, earliest_hour=8):
    hour, minute = rng.randint(earliest_hour, 17), rng.randint(0, 59)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@contextmanager
def timestamps_as_given(*models):
    """Keep the created/updated times we set: bulk_create would stamp them all with now."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def create(model, objects):
    return model.objects.bulk_create(objects, batch_size=BATCH)


def record_history(model, objects, date_of, user_of=None, update=False):
    """One history row per object, dated when the change happened, by whom it was made."""
    for obj in objects:
        obj._history_date = date_of(obj)
        obj._history_user = user_of(obj) if user_of else None
    return model.history.bulk_history_create(objects, batch_size=BATCH, update=update)


def record_m2m_history(model, field_name, history_rows, links):
    """Snapshot a many-to-many field (parties of a promise, owners of a commitment) for each
    history row, as django-simple-history does on save: a copy of each link row."""
    snapshot_model = getattr(model.history.model, field_name).model
    owner = model._meta.model_name
    links_of = defaultdict(list)
    for link in links:
        links_of[getattr(link, f"{owner}_id")].append(link)
    fields = [field.attname for field in links[0]._meta.concrete_fields] if links else []
    create(
        snapshot_model,
        [
            snapshot_model(history=row, **{name: getattr(link, name) for name in fields})
            for row in history_rows
            for link in links_of[row.id]
        ],
    )


class Generator:
    def __init__(self, scale=1.0, seed=2026, log=print):
        self.scale = scale
        self.rng = random.Random(seed)
        self.log = log
        self.counts = {}

    def run(self):
        steps = [
            self.parties,
            self.users,
            self.promises,
            self.commitments,
            self.approvals,
            self.followup,
            self.surveys,
            self.situation,
        ]
        with timestamps_as_given(Promise, FollowUpRound, SituationPicture, Problem):
            for step in steps:
                started = time.monotonic()
                step()
                self.log(f"{step.__name__}: {time.monotonic() - started:.1f} s")
        return self.counts

    def count(self, name, rows):
        self.counts[name] = self.counts.get(name, 0) + len(rows)

    # Parties and people

    def parties(self):
        """Take the municipalities (evenly spread over the register at smaller scales) and
        cover each police region's with police areas, in proportion to their number."""
        everyone = list(Party.objects.municipalities().order_by("municipality_code"))
        wanted = max(1, round(MUNICIPALITIES * self.scale))
        step = len(everyone) / wanted
        self.municipalities = [everyone[int(i * step)] for i in range(wanted)]
        by_region = defaultdict(list)
        for municipality in self.municipalities:
            by_region[municipality.police_region].append(municipality)
        shares = self.police_area_shares(by_region, max(1, round(POLICE_AREAS * self.scale)))
        police_areas, covered = [], []
        for region, members in sorted(by_region.items()):
            share = shares[region]
            size = len(members) / share
            for n in range(share):
                group = members[round(n * size) : round((n + 1) * size)]
                police_areas.append(
                    Party(
                        kind=Party.Kind.POLICE_AREA,
                        name=f"Lokalpolisområde {group[0].name}",
                        slug=f"lpo-{group[0].slug}",
                        police_region=region,
                        county=group[0].county,
                        county_code=group[0].county_code,
                    )
                )
                covered.append(group)
        create(Party, police_areas)
        for area, group in zip(police_areas, covered, strict=True):
            for municipality in group:
                municipality.police_area = area
        Party.objects.bulk_update(self.municipalities, ["police_area"], batch_size=BATCH)
        self.police_areas = police_areas
        self.count("police areas", police_areas)

    def police_area_shares(self, by_region, wanted):
        """How many police areas each region gets: in proportion to its municipalities (the
        largest remainders round up), at least one, at most one per municipality."""
        total = sum(len(members) for members in by_region.values())
        quotas = {region: wanted * len(members) / total for region, members in by_region.items()}
        shares = {region: max(1, int(quota)) for region, quota in quotas.items()}
        by_remainder = sorted(quotas, key=lambda region: quotas[region] - int(quotas[region]))
        while sum(shares.values()) < wanted and by_remainder:
            region = by_remainder.pop()
            shares[region] = min(shares[region] + 1, len(by_region[region]))
        return shares

    def users(self):
        """A coordinator per municipality and a police officer per police area, members in
        their role's group as Membership.save() would make them, and one superuser."""
        password = make_password(PASSWORD)
        joined = timezone.make_aware(dt.datetime(FIRST_YEAR - 1, 11, 1, 9))
        accounts = [
            (f"samordnare-{m.slug}", m, Membership.Role.COORDINATOR) for m in self.municipalities
        ]
        accounts += [(f"polis-{a.slug[4:]}", a, Membership.Role.POLICE) for a in self.police_areas]
        users = [
            User(
                username=username,
                email=f"{username}@example.org",
                password=password,
                is_staff=True,
                date_joined=joined,
            )
            for username, _party, _role in accounts
        ]
        create(User, users)
        if not User.objects.filter(username=SUPERUSER).exists():
            User.objects.create(
                username=SUPERUSER,
                email="admin@example.org",
                password=password,
                is_staff=True,
                is_superuser=True,
                date_joined=joined,
            )
        groups = {group.name: group for group in Group.objects.filter(name__in=Membership.Role)}
        memberships, in_groups = [], []
        self.user_of = {}
        for user, (_username, party, role) in zip(users, accounts, strict=True):
            memberships.append(Membership(user=user, party=party, role=role))
            in_groups.append(User.groups.through(user=user, group=groups[role]))
            self.user_of[party.pk] = user
        create(Membership, memberships)
        create(User.groups.through, in_groups)
        self.count("users", users)

    # Promises

    def promises(self):
        """Each municipality's promises follow each other from 2017; the one running at AS_OF
        is mostly published, sometimes still a draft or in review; some municipalities
        already draft the next one. Earlier promises are published or archived."""
        rng = self.rng
        self.plan = []  # (promise, municipality)
        for municipality in self.municipalities:
            year = FIRST_YEAR
            while year <= LAST_YEAR:
                length = rng.choices(*PROMISE_YEARS)[0]
                start, end = dt.date(year, 1, 1), dt.date(year + length - 1, 12, 31)
                if end < AS_OF:
                    status = rng.choices(
                        [Promise.Status.PUBLISHED, Promise.Status.ARCHIVED], [85, 15]
                    )[0]
                else:
                    status = rng.choices(
                        [Promise.Status.PUBLISHED, Promise.Status.IN_REVIEW, Promise.Status.DRAFT],
                        [88, 6, 6],
                    )[0]
                self.plan.append((self.promise(municipality, start, end, status), municipality))
                year += length
            if end.year == LAST_YEAR and rng.random() < 0.15:
                start, end = dt.date(LAST_YEAR + 1, 1, 1), dt.date(LAST_YEAR + 2, 12, 31)
                draft = self.promise(municipality, start, end, Promise.Status.DRAFT)
                self.plan.append((draft, municipality))
        promises = [promise for promise, _municipality in self.plan]
        create(Promise, promises)
        through = Promise.parties.through
        links = []
        for promise, municipality in self.plan:
            links.append(through(promise=promise, party=municipality))
            links.append(through(promise=promise, party=municipality.police_area))
        create(through, links)
        self.count("promises", promises)

        # History: created as a draft; then, if it went further, as it stands now.
        coordinator = lambda p: self.user_of[p.municipality.pk]  # noqa: E731
        drafts = []
        for promise, municipality in self.plan:
            draft = copy.copy(promise)
            draft.status, draft.submitted_at, draft.published_at = Promise.Status.DRAFT, None, None
            draft.updated_at = promise.created_at
            draft.municipality = municipality
            drafts.append(draft)
        history = record_history(Promise, drafts, lambda p: p.created_at, coordinator)
        moved_on = []
        for promise, municipality in self.plan:
            if promise.status != Promise.Status.DRAFT:
                promise.municipality = municipality
                moved_on.append(promise)
        history += record_history(
            Promise, moved_on, lambda p: p.updated_at, coordinator, update=True
        )
        record_m2m_history(Promise, "parties", history, links)
        self.promises_list = promises

    def promise(self, municipality, start, end, status):
        rng = self.rng
        years = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
        created = moment(start - dt.timedelta(days=rng.randint(60, 120)), rng)
        submitted = published = None
        if status != Promise.Status.DRAFT:
            submitted = created + dt.timedelta(days=rng.randint(10, 30))
        if status in (Promise.Status.PUBLISHED, Promise.Status.ARCHIVED):
            published = submitted + dt.timedelta(days=rng.randint(5, 25))
        updated = published or submitted or created
        if status == Promise.Status.ARCHIVED:
            updated = moment(end + dt.timedelta(days=rng.randint(20, 90)), rng)
        name = municipality.name
        return Promise(
            title=rng.choice(words.TITLES).format(name=name, years=years),
            slug=slugify(f"{municipality.slug}-{start.year}-{end.year}"),
            valid_from=start,
            valid_until=end,
            status=status,
            summary=words.paragraph(rng, 1),
            goal=f"Färre brott och större trygghet för alla som bor och vistas i {name}. "
            + words.paragraph(rng, 1),
            background=words.paragraph(rng, rng.randint(3, 6), observations=rng.randint(1, 3)),
            how_to_follow=(
                "Löftet följs upp varje kvartal och resultatet publiceras här och på kommunens "
                "och polisens webbplatser."
            ),
            submitted_at=submitted,
            published_at=published,
            created_at=created,
            updated_at=updated,
        )

    def commitments(self):
        """About four focus areas and seventeen commitments a promise, owned by the police,
        the municipality or both; a few belong to no focus area."""
        rng = self.rng
        areas, commitments, owners = [], [], []
        for promise, municipality in self.plan:
            titles = rng.sample(words.FOCUS_AREAS, rng.choice([3, 4, 4, 5]))
            promise_areas = [
                FocusArea(
                    promise=promise, title=title, description=words.sentence(rng), order=order
                )
                for order, title in enumerate(titles)
            ]
            areas += promise_areas
            # Most promises have a dozen or two commitments; a few big ones, over fifty.
            size = rng.randint(40, 60) if rng.random() < 0.04 else rng.randint(11, 20)
            for order in range(size):
                area = rng.choice(promise_areas) if rng.random() < 0.9 else None
                commitment = Commitment(
                    promise=promise, focus_area=area, text=words.commitment(rng), order=order
                )
                commitment.owner_parties = rng.choice(
                    [
                        [municipality.police_area],
                        [municipality],
                        [municipality.police_area, municipality],
                    ]
                )
                commitments.append(commitment)
        create(FocusArea, areas)
        # Tagged with the themes their titles suggest, as an editor following the hint would;
        # no random draw, so the rest of the country stays as it was.
        themes = list(Theme.objects.all())
        tags = [
            FocusArea.themes.through(focusarea=area, theme=theme)
            for area in areas
            for theme in themes
            if theme.matches(area.title)
        ]
        create(FocusArea.themes.through, tags)
        create(Commitment, commitments)
        through = Commitment.owners.through
        owners = [
            through(commitment=commitment, party=party)
            for commitment in commitments
            for party in commitment.owner_parties
        ]
        create(through, owners)
        self.count("focus areas", areas)
        self.count("theme tags", tags)
        self.count("commitments", commitments)

        created = {promise.pk: promise.created_at for promise in self.promises_list}
        coordinator = {p.pk: self.user_of[m.pk] for p, m in self.plan}
        record_history(
            FocusArea, areas, lambda a: created[a.promise_id], lambda a: coordinator[a.promise_id]
        )
        history = record_history(
            Commitment,
            commitments,
            lambda c: created[c.promise_id],
            lambda c: coordinator[c.promise_id],
        )
        record_m2m_history(Commitment, "owners", history, owners)
        self.commitments_of = defaultdict(list)
        for commitment in commitments:
            self.commitments_of[commitment.promise_id].append(commitment)

    def approvals(self):
        """Both sides signed what was published (and one side has signed some in review)."""
        rng = self.rng
        approvals = []
        for promise, municipality in self.plan:
            if promise.status == Promise.Status.DRAFT:
                continue
            content_hash = promise.content_hash()
            signers = [municipality, municipality.police_area]
            if promise.status == Promise.Status.IN_REVIEW:
                signers = signers[: rng.randint(0, 1)]
            for n, party in enumerate(signers):
                approvals.append(
                    PromiseApproval(
                        promise=promise,
                        user=self.user_of[party.pk],
                        party=party,
                        content_hash=content_hash,
                        approved_at=promise.submitted_at + dt.timedelta(days=1 + n),
                    )
                )
        create(PromiseApproval, approvals)
        self.count("approvals", approvals)

    # Follow-up

    def followup(self):
        """A round per quarter of each published or archived promise, up to the last quarter
        ended before AS_OF: published, except that the latest may still be under way."""
        rounds = []
        for promise, municipality in self.plan:
            if promise.status not in (Promise.Status.PUBLISHED, Promise.Status.ARCHIVED):
                continue
            quarters = [
                (year, quarter)
                for year in range(promise.valid_from.year, promise.valid_until.year + 1)
                for quarter in range(1, 5)
                if quarter_bounds(year, quarter)[1] < AS_OF
            ]
            for index, (year, quarter) in enumerate(quarters):
                latest = index == len(quarters) - 1 and promise.valid_until > AS_OF
                rounds.append(self.round(promise, municipality, year, quarter, latest))
        create(FollowUpRound, rounds)
        self.count("follow-up rounds", rounds)
        record_history(FollowUpRound, rounds, lambda r: r.updated_at, lambda r: r.submitted_by)

        statuses = []
        for round_ in rounds:
            for commitment in self.commitments_of[round_.promise_id]:
                statuses.append(self.status(round_, commitment))
        create(CommitmentStatus, statuses)
        self.count("commitment statuses", statuses)
        record_history(
            CommitmentStatus, statuses, lambda s: s.round.created_at, lambda s: s.round.submitted_by
        )

    def round(self, promise, municipality, year, quarter, latest):
        rng = self.rng
        State = FollowUpRound.State
        state = State.PUBLISHED
        if latest:
            state = rng.choices(
                [State.PUBLISHED, State.APPROVED, State.SUBMITTED, State.DRAFT, State.RETURNED],
                [60, 10, 12, 14, 4],
            )[0]
        quarter_end = quarter_bounds(year, quarter)[1]
        meeting = quarter_end + dt.timedelta(days=rng.randint(5, 20))
        meeting = min(meeting, AS_OF - dt.timedelta(days=1))
        coordinator = self.user_of[municipality.pk]
        police = self.user_of[municipality.police_area_id]
        created = moment(meeting, rng, earliest_hour=8)
        round_ = FollowUpRound(
            promise=promise,
            year=year,
            quarter=quarter,
            meeting_date=meeting,
            forum=f"{rng.choice(words.FORUMS)} i {municipality.name}",
            summary=words.paragraph(rng, rng.randint(2, 4)) if state != State.DRAFT else "",
            state=state,
            created_at=created,
            updated_at=created,
        )
        if state != State.DRAFT:
            round_.submitted_by = coordinator
            round_.submitted_at = created + dt.timedelta(hours=2)
            round_.updated_at = round_.submitted_at
        if state == State.RETURNED:
            round_.reviewer_comment = words.sentence(rng)
        if state in (State.APPROVED, State.PUBLISHED):
            round_.approved_by = police
            round_.approved_at = round_.submitted_at + dt.timedelta(hours=20)
            round_.updated_at = round_.approved_at
        if state == State.PUBLISHED:
            round_.published_at = round_.approved_at + dt.timedelta(hours=2)
            round_.updated_at = round_.published_at
        return round_

    def status(self, round_, commitment):
        rng = self.rng
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        progress = None
        if rng.random() < 0.7:
            progress = 100 if status == CommitmentStatus.Status.DONE else rng.randint(0, 95)
        links = ""
        if rng.random() < 0.1:
            links = f"https://www.example.org/trygghet/{round_.year}/{rng.randint(1, 999)}"
        return CommitmentStatus(
            round=round_,
            commitment=commitment,
            status=status,
            progress=progress,
            done_this_quarter=words.paragraph(rng, rng.randint(1, 2)),
            next_steps=words.sentence(rng) if rng.random() < 0.8 else "",
            evidence_links=links,
        )

    # Surveys and situation pictures

    def surveys(self):
        """A yearly safety survey of every municipality and police area; the latest year's
        is not yet published everywhere. The numbers are synthetic and marked as examples."""
        rng = self.rng
        indicators = list(Indicator.objects.order_by("order"))
        surveys, results = [], []
        for area in [*self.municipalities, *self.police_areas]:
            base = {indicator.pk: rng.uniform(10, 60) for indicator in indicators}
            trend = {indicator.pk: rng.uniform(-1.5, 1.5) for indicator in indicators}
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                sample = rng.randint(1000, 6000)
                respondents = int(sample * rng.uniform(0.25, 0.6))
                survey = SafetySurvey(
                    year=year,
                    area=area,
                    conducted_by="Polisen och kommunen",
                    method=words.paragraph(rng, 1),
                    sample_size=sample,
                    respondents=respondents,
                    response_rate=Decimal(f"{100 * respondents / sample:.1f}"),
                    is_published=year < LAST_YEAR or rng.random() < 0.75,
                    is_example=True,
                )
                surveys.append(survey)
                for indicator in indicators:
                    level = base[indicator.pk] + trend[indicator.pk] * (year - FIRST_YEAR)
                    for group in SURVEY_GROUPS:
                        value = level + rng.uniform(-6, 6)
                        results.append(
                            SurveyResult(
                                survey=survey,
                                indicator=indicator,
                                group=group,
                                value=Decimal(f"{min(99.9, max(0.5, value)):.1f}"),
                            )
                        )
        create(SafetySurvey, surveys)
        create(SurveyResult, results)
        when = timezone.make_aware(dt.datetime(LAST_YEAR, 11, 15, 10))
        record_history(SafetySurvey, surveys, lambda s: when)
        record_history(SurveyResult, results, lambda r: when)
        self.count("safety surveys", surveys)
        self.count("survey results", results)

    def situation(self):
        """A public situation picture of each municipality for the last two years, with the
        problems its working group follows."""
        rng = self.rng
        pictures = []
        for municipality in self.municipalities:
            decided = dt.date(LAST_YEAR - 1, 2, rng.randint(1, 28))
            created = moment(decided, rng)
            pictures.append(
                SituationPicture(
                    title=f"Lägesbild {municipality.name} {LAST_YEAR - 1}–{LAST_YEAR}",
                    police_area=municipality.police_area,
                    valid_from=dt.date(LAST_YEAR - 1, 1, 1),
                    valid_until=dt.date(LAST_YEAR, 12, 31),
                    crime_mapping=words.paragraph(rng, 3, observations=2),
                    analysis=words.paragraph(rng, 3, observations=1),
                    sources="Polisens statistik, trygghetsmätningen, fältgruppen och skolorna.",
                    decided_on=decided,
                    visibility=Visibility.PUBLIC,
                    public_summary=words.paragraph(rng, 2, observations=2),
                    created_at=created,
                    updated_at=created,
                )
            )
        create(SituationPicture, pictures)
        through = SituationPicture.municipalities.through
        create(
            through,
            [
                through(situationpicture=picture, party=municipality)
                for picture, municipality in zip(pictures, self.municipalities, strict=True)
            ],
        )
        problems = []
        for picture in pictures:
            for _ in range(rng.randint(4, 8)):
                observed = picture.decided_on + dt.timedelta(days=rng.randint(0, 500))
                problems.append(
                    Problem(
                        picture=picture,
                        title=words.observation(rng).rstrip("."),
                        description=words.paragraph(rng, 2),
                        category=rng.choice(Problem.Category.values),
                        source=rng.choice(Problem.Source.values),
                        trend=rng.choice(Problem.Trend.values),
                        cause_analysis=words.paragraph(rng, 1),
                        observed_on=observed,
                        visibility=Visibility.PUBLIC if rng.random() < 0.7 else Visibility.INTERNAL,
                        created_at=picture.created_at,
                        updated_at=picture.created_at,
                    )
                )
        create(Problem, problems)
        record_history(SituationPicture, pictures, lambda p: p.created_at)
        record_history(Problem, problems, lambda p: p.created_at)
        self.count("situation pictures", pictures)
        self.count("problems", problems)
