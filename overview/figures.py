"""The national overview's figures: which municipalities have a current promise, what the
promises focus on, and whether they are followed up on time, per municipality, county and
police region, and over the years.

Plain functions of today and an optional theme, for the overview page, its downloads and the
API alike. Each reads only what residents may see (published promises and rounds) in a fixed
number of queries whatever the country's size; counts are aggregated in the database, and only
the follow-up schedule (one row per promise and due quarter) is worked out in Python, with the
follow-up app's own rules (followup.schedule).
"""

import contextlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import get_language

from caching.pages import current_generation
from followup import schedule
from followup.models import FollowUpRound
from promises.models import FocusArea, Party, PoliceRegion, Promise, Theme

# How many quarters back the follow-up health looks, and how many themes an area lists.
HEALTH_QUARTERS = 4
TOP_THEMES = 3

# How long computed figures stay in the shared cache at most; a write replaces them at once.
CACHE_SECONDS = 24 * 3600

COUNTY, POLICE_REGION = "county", "police_region"
GROUPINGS = {COUNTY: "county_code", POLICE_REGION: "police_region"}


@dataclass
class Health:
    """Follow-up rounds due in the last four quarters and how many were published on time."""

    due: int = 0
    on_time: int = 0

    @property
    def share(self):
        """On time of due, 0–1; None when none was due."""
        return self.on_time / self.due if self.due else None

    @property
    def category(self):
        """ "all", "some" or "none" on time, or "nothing_due": for the map's patterns."""
        if not self.due:
            return "nothing_due"
        if self.on_time == self.due:
            return "all"
        return "some" if self.on_time else "none"


@dataclass
class MunicipalityFigures:
    code: str
    slug: str
    name: str
    county_code: str
    county: str
    police_region: str
    has_current_promise: bool
    health: Health = field(default_factory=Health)


@dataclass
class AreaFigures:
    """A county or a police region."""

    key: str  # the county code or the police region's value
    name: str
    municipalities: int
    with_current_promise: int
    themes: list = field(default_factory=list)  # (Theme, municipalities), the most common first
    health: Health = field(default_factory=Health)

    @property
    def share(self):
        """Municipalities with a current promise, 0–1."""
        return self.with_current_promise / self.municipalities if self.municipalities else None


@dataclass
class YearFigures:
    year: int
    promises: int  # published promises in force some day of the year
    themes: dict  # Theme -> promises in force with a focus area of that theme


def with_theme(promises, theme):
    """The promises with a focus area of the theme; all of them if theme is None."""
    if theme is None:
        return promises
    return promises.filter(Exists(FocusArea.objects.filter(promise=OuterRef("pk"), themes=theme)))


def current_promises(theme=None):
    return with_theme(Promise.objects.current(), theme)


def health_quarters(today=None):
    """(year, quarter) of the last four quarters whose follow-up is due by now, the latest
    first: a quarter counts once the day its round had to be ready (schedule.due_on) is past."""
    today = today or timezone.localdate()
    year, quarter = schedule.quarter_of(today)
    quarters = []
    while len(quarters) < HEALTH_QUARTERS:
        if schedule.due_on(year, quarter) < today:
            quarters.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return quarters


class FollowUpHealth:
    """Every quarter of the last four for which a published promise owed a round, and whether
    its round was published by the day it was due; counted per municipality, county, police
    region or the whole country. Three queries, on creation."""

    def __init__(self, theme=None, today=None):
        today = today or timezone.localdate()
        quarters = health_quarters(today)
        first_start = schedule.quarter_bounds(*quarters[-1])[0]
        last_end = schedule.quarter_bounds(*quarters[0])[1]
        promises = with_theme(
            Promise.objects.published().filter(
                valid_from__lte=last_end, valid_until__gte=first_start
            ),
            theme,
        )
        in_window = Q()
        for year, quarter in quarters:
            in_window |= Q(year=year, quarter=quarter)
        rounds = defaultdict(list)
        for round_ in (
            FollowUpRound.objects.published()
            .filter(in_window, promise__in=promises.values("pk"))
            .only("promise_id", "year", "quarter", "state", "published_at")
        ):
            rounds[round_.promise_id].append(round_)
        # Its municipalities' pk, county and police region, for each promise.
        self.places = defaultdict(list)
        for promise_pk, *place in Promise.parties.through.objects.filter(
            promise__in=promises.values("pk"), party__kind=Party.Kind.MUNICIPALITY
        ).values_list("promise_id", "party_id", "party__county_code", "party__police_region"):
            self.places[promise_pk].append(place)
        wanted = set(quarters)
        self.due = []  # (promise pk, on time)
        for promise in promises.only("pk", "status", "published_at", "valid_from", "valid_until"):
            for due in schedule.due_quarters(promise, rounds[promise.pk], today):
                if (due.year, due.quarter) in wanted:
                    published = due.round.published_at if due.round else None
                    on_time = published is not None and timezone.localdate(published) <= due.due_on
                    self.due.append((promise.pk, on_time))

    @property
    def national(self):
        return Health(due=len(self.due), on_time=sum(on_time for _pk, on_time in self.due))

    def by(self, field):
        """Health per municipality pk ("pk"), county code or police region: a promise's rounds
        count once for each of them its municipalities lie in."""
        index = {"pk": 0, "county_code": 1, "police_region": 2}[field]
        health = defaultdict(Health)
        for promise_pk, on_time in self.due:
            for key in {place[index] for place in self.places[promise_pk]}:
                health[key].due += 1
                health[key].on_time += on_time
        return health


def municipalities(theme=None, today=None, health=None):
    """Every municipality with whether it has a current promise (with the theme, if given) and
    its follow-up health, ordered by county and name: the map and its text alternative."""
    current = Exists(current_promises(theme).filter(parties=OuterRef("pk")))
    rows = (
        Party.objects.municipalities()
        .annotate(has_current=current)
        .order_by("county_code", "name")
        .values_list(
            "pk",
            "municipality_code",
            "slug",
            "name",
            "county_code",
            "county",
            "police_region",
            "has_current",
        )
    )
    by_municipality = (health or FollowUpHealth(theme, today)).by("pk")
    return [
        MunicipalityFigures(*row[1:], health=by_municipality.get(row[0]) or Health())
        for row in rows
    ]


def all_areas(theme=None, today=None, health=None, themes=None):
    """{"county": [...], "police_region": [...]}: per county and per police region, its
    municipalities, how many have a current promise, the themes most of them focus on, and
    follow-up health. `health` (a FollowUpHealth) and `themes` (Theme.objects.in_bulk()) save
    their queries.

    Counted per county in two queries and summed up into the police regions: a county lies in
    one police region, so its municipalities are counted once in each.
    """
    current = current_promises(theme)
    counts = (
        Party.objects.municipalities()
        .values("county_code", "county", "police_region")
        .annotate(
            municipalities=Count("pk"),
            with_current=Count("pk", filter=Q(pk__in=current.values("parties"))),
        )
        .order_by()
    )
    regions = {region.value: region.label for region in PoliceRegion}
    figures = {COUNTY: {}, POLICE_REGION: {}}
    for row in counts:
        for grouping, key, name in (
            (COUNTY, row["county_code"], row["county"]),
            (POLICE_REGION, row["police_region"], regions.get(row["police_region"])),
        ):
            if not key:
                continue
            area = figures[grouping].setdefault(
                key, AreaFigures(key, str(name or key), municipalities=0, with_current_promise=0)
            )
            area.municipalities += row["municipalities"]
            area.with_current_promise += row["with_current"]
    themes = Theme.objects.in_bulk() if themes is None else themes
    theme_counts = (
        FocusArea.themes.through.objects.filter(
            focusarea__promise__in=current.values("pk"),
            focusarea__withdrawn_at=None,
            focusarea__promise__parties__kind=Party.Kind.MUNICIPALITY,
        )
        .values(
            "theme_id",
            county_code=F("focusarea__promise__parties__county_code"),
            police_region=F("focusarea__promise__parties__police_region"),
        )
        .annotate(municipalities=Count("focusarea__promise__parties", distinct=True))
        .order_by()
    )
    counted = {COUNTY: defaultdict(Counter), POLICE_REGION: defaultdict(Counter)}
    for row in theme_counts:
        theme_ = themes[row["theme_id"]]
        counted[COUNTY][row["county_code"]][theme_] += row["municipalities"]
        counted[POLICE_REGION][row["police_region"]][theme_] += row["municipalities"]
    health = health or FollowUpHealth(theme, today)
    result = {}
    for grouping, by_key in figures.items():
        for key, theme_counter in counted[grouping].items():
            if key in by_key:
                ranked = sorted(
                    theme_counter.items(), key=lambda item: (-item[1], item[0].order, item[0].pk)
                )
                by_key[key].themes = ranked[:TOP_THEMES]
        for key, area_health in health.by(GROUPINGS[grouping]).items():
            if key in by_key:
                by_key[key].health = area_health
        result[grouping] = sorted(by_key.values(), key=lambda area: area.name)
    return result


def areas(grouping, theme=None, today=None):
    """Per county (grouping "county") or police region ("police_region"), as all_areas()."""
    return all_areas(theme, today)[grouping]


def years(theme=None, themes=None, municipality=None):
    """Per year, from the first a published promise was in force to the last: how many were in
    force some day of it, in all and per theme (only those promises with the theme, if given;
    only the municipality's, if given)."""
    promises = with_theme(Promise.objects.published(), theme)
    if municipality is not None:
        promises = promises.filter(parties=municipality)
    spans = {
        (row["start"], row["end"]): row["promises"]
        for row in promises.values(start=ExtractYear("valid_from"), end=ExtractYear("valid_until"))
        .annotate(promises=Count("pk"))
        .order_by()
    }
    if not spans:
        return []
    # Each promise has one span of years, so summing the spans' distinct counts counts it once.
    theme_spans = (
        FocusArea.themes.through.objects.filter(
            focusarea__promise__in=promises.values("pk"), focusarea__withdrawn_at=None
        )
        .values(
            "theme_id",
            start=ExtractYear("focusarea__promise__valid_from"),
            end=ExtractYear("focusarea__promise__valid_until"),
        )
        .annotate(promises=Count("focusarea__promise", distinct=True))
        .order_by()
    )
    themes = Theme.objects.in_bulk() if themes is None else themes
    first = min(start for start, _end in spans)
    last = max(end for _start, end in spans)
    figures = {
        year: YearFigures(year, 0, dict.fromkeys(themes.values(), 0))
        for year in range(first, last + 1)
    }
    for (start, end), count in spans.items():
        for year in range(start, end + 1):
            figures[year].promises += count
    for row in theme_spans:
        for year in range(row["start"], row["end"] + 1):
            figures[year].themes[themes[row["theme_id"]]] += row["promises"]
    return list(figures.values())


@dataclass
class Overview:
    municipalities: list
    counties: list
    police_regions: list
    health: Health
    years: list
    themes: list  # the national list, in order

    @property
    def with_current_promise(self):
        return sum(row.has_current_promise for row in self.municipalities)


def overview(theme=None, today=None, themes=None):
    """Everything the overview page shows, in eight queries; `themes` (Theme.objects.in_bulk())
    saves one more."""
    today = today or timezone.localdate()
    themes = Theme.objects.in_bulk() if themes is None else themes
    health = FollowUpHealth(theme, today)
    areas_ = all_areas(theme, today, health, themes)
    return Overview(
        municipalities=municipalities(theme, today, health),
        counties=areas_[COUNTY],
        police_regions=areas_[POLICE_REGION],
        health=health.national,
        years=years(theme, themes),
        themes=sorted(themes.values(), key=lambda theme: (theme.order, theme.name_sv)),
    )


def cached_overview(theme=None, themes=None):
    """overview(), kept in the shared cache until the public data changes (the page cache's
    generation moves on) or the day does, per language (police regions' names) and theme: so
    that even a page rendered afresh, or the API, computes the figures once per change. With
    the cache unreachable they are simply computed."""
    try:
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = ":".join(
            [
                "overview",
                str(current_generation()),
                timezone.localdate().isoformat(),
                get_language() or "",
                theme.slug if theme is not None else "",
            ]
        )
        found = cache.get(key)
    except Exception:  # the cache is down: as if there were none
        return overview(theme, themes=themes)
    if found is None:
        found = overview(theme, themes=themes)
        with contextlib.suppress(Exception):
            cache.set(key, found, timeout=CACHE_SECONDS)
    return found
