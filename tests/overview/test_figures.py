"""The overview's figures for a hand-built country: promises on and off their period, rounds
published on time, late, not at all or not yet published, and drafts that never count."""

import datetime as dt

import time_machine
from django.test import TestCase, override_settings
from django.utils import timezone

from followup.models import FollowUpRound
from overview import figures
from promises.models import Party, Promise, Theme
from tests.caching.test_pages import UNREACHABLE_REDIS
from tests.factories import make_focus_area, make_police_area, make_promise, make_round
from tests.shared_data import TEST_DAY


def at(year, month, day):
    return dt.datetime(year, month, day, 12, tzinfo=timezone.get_current_timezone())


@time_machine.travel(TEST_DAY)
class OverviewFiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        municipality = Party.objects.municipalities().get
        cls.olofstrom = municipality(slug="olofstrom")
        cls.karlshamn = municipality(slug="karlshamn")
        cls.gotland = municipality(slug="gotland")
        police = make_police_area()
        cls.traffic = Theme.objects.get(slug="trafiksakerhet")
        cls.youth = Theme.objects.get(slug="barn-och-unga")
        published = {"status": Promise.Status.PUBLISHED, "published_at": at(2025, 12, 1)}

        # Olofström: current all 2026; Q1 on time, Q2 late, Q3 missing (Q4 2025 before it).
        current = make_promise(
            parties=[cls.olofstrom, police],
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 12, 31),
            **published,
        )
        make_focus_area(current, title="Trafik", themes=[cls.traffic])
        make_focus_area(current, title="Unga", themes=[cls.youth])
        published_round = {"state": FollowUpRound.State.PUBLISHED}
        make_round(current, 2026, 1, published_at=at(2026, 4, 15), **published_round)
        make_round(current, 2026, 2, published_at=at(2026, 8, 15), **published_round)

        # Karlshamn: its promise ended with 2025; Q4 2025 was published on time.
        earlier = make_promise(
            parties=[cls.karlshamn, police],
            valid_from=dt.date(2025, 1, 1),
            valid_until=dt.date(2025, 12, 31),
            published_at=at(2024, 12, 1),
        )
        make_focus_area(earlier, title="Barn", themes=[cls.youth])
        make_round(earlier, 2025, 4, published_at=at(2026, 1, 20), **published_round)

        # Gotland: current since July; its Q3 round is approved but not published. A current
        # draft with a published-looking round never counts.
        gotland = make_promise(
            parties=[cls.gotland, police],
            valid_from=dt.date(2026, 7, 1),
            valid_until=dt.date(2027, 6, 30),
            **published,
        )
        make_focus_area(gotland, title="Trafiksäkerhet", themes=[cls.traffic])
        make_round(gotland, 2026, 3, state=FollowUpRound.State.APPROVED)
        draft = make_promise(
            parties=[cls.gotland, cls.karlshamn, police],
            status=Promise.Status.DRAFT,
            published_at=None,
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 12, 31),
        )
        make_focus_area(draft, title="Hemligt", themes=[cls.youth])

    def test_the_last_four_quarters_whose_rounds_are_due(self):
        assert figures.health_quarters() == [(2026, 3), (2026, 2), (2026, 1), (2025, 4)]
        assert figures.health_quarters(dt.date(2026, 10, 30)) == [
            (2026, 2),
            (2026, 1),
            (2025, 4),
            (2025, 3),
        ]

    def test_municipalities(self):
        rows = {row.slug: row for row in figures.municipalities()}
        assert len(rows) == 290
        olofstrom, karlshamn, gotland = rows["olofstrom"], rows["karlshamn"], rows["gotland"]
        assert olofstrom.has_current_promise and gotland.has_current_promise
        assert not karlshamn.has_current_promise
        assert (olofstrom.health.due, olofstrom.health.on_time) == (3, 1)
        assert olofstrom.health.category == "some"
        assert (karlshamn.health.due, karlshamn.health.on_time) == (1, 1)
        assert karlshamn.health.category == "all"
        assert (gotland.health.due, gotland.health.on_time) == (1, 0)
        assert gotland.health.category == "none"
        assert rows["karlskrona"].health.category == "nothing_due"
        assert sum(row.has_current_promise for row in rows.values()) == 2

    def test_municipalities_with_a_theme(self):
        rows = {row.slug: row for row in figures.municipalities(theme=self.youth)}
        assert rows["olofstrom"].has_current_promise
        assert not rows["gotland"].has_current_promise  # traffic only; the draft never counts
        assert rows["gotland"].health.due == 0
        assert (rows["karlshamn"].health.due, rows["karlshamn"].health.on_time) == (1, 1)

    def test_counties(self):
        counties = {area.key: area for area in figures.areas(figures.COUNTY)}
        assert len(counties) == 21
        blekinge = counties["10"]
        assert blekinge.name == "Blekinge län"
        assert (blekinge.municipalities, blekinge.with_current_promise) == (5, 1)
        assert blekinge.share == 0.2
        # Olofström's promise (the only current one): traffic first by the list's order.
        assert blekinge.themes == [(self.traffic, 1), (self.youth, 1)]
        assert (blekinge.health.due, blekinge.health.on_time) == (4, 2)
        assert blekinge.health.share == 0.5
        gotland = counties["09"]
        assert (gotland.municipalities, gotland.with_current_promise, gotland.share) == (1, 1, 1)
        assert gotland.themes == [(self.traffic, 1)]
        assert (gotland.health.due, gotland.health.on_time) == (1, 0)
        assert counties["01"].with_current_promise == 0
        assert counties["01"].health.share is None

    def test_police_regions(self):
        regions = {area.key: area for area in figures.areas(figures.POLICE_REGION)}
        assert len(regions) == 7
        assert regions["Syd"].with_current_promise == 1
        assert regions["Stockholm"].with_current_promise == 1  # Gotland
        assert regions["Stockholm"].themes == [(self.traffic, 1)]
        # Counted by municipality: the police area (in Syd) of Gotland's promise adds nothing.
        assert regions["Syd"].themes == [(self.traffic, 1), (self.youth, 1)]
        assert (regions["Syd"].health.due, regions["Syd"].health.on_time) == (4, 2)

    def test_counties_with_a_theme(self):
        counties = {area.key: area for area in figures.areas(figures.COUNTY, theme=self.traffic)}
        assert counties["10"].with_current_promise == 1
        assert counties["09"].with_current_promise == 1
        assert (counties["10"].health.due, counties["10"].health.on_time) == (3, 1)

    def test_years(self):
        years = {row.year: row for row in figures.years()}
        assert list(years) == [2025, 2026, 2027]
        assert [years[y].promises for y in years] == [1, 2, 1]
        assert years[2025].themes[self.youth] == 1
        assert years[2026].themes[self.traffic] == 2
        assert years[2026].themes[self.youth] == 1
        assert years[2027].themes[self.traffic] == 1
        assert years[2027].themes[self.youth] == 0
        with_youth = figures.years(theme=self.youth)
        assert [(row.year, row.promises) for row in with_youth] == [(2025, 1), (2026, 1)]

    def test_cached_figures_last_until_the_data_changes(self):
        first = figures.cached_overview()
        with self.assertNumQueries(0):
            assert figures.cached_overview().health == first.health
        Promise.objects.get(parties=self.gotland, status=Promise.Status.PUBLISHED).delete()
        fresh = figures.cached_overview()
        assert fresh.with_current_promise == first.with_current_promise - 1
        assert figures.cached_overview(theme=self.youth).with_current_promise == 1

    @override_settings(CACHES=UNREACHABLE_REDIS)
    def test_figures_are_computed_when_the_cache_is_down(self):
        assert figures.cached_overview().with_current_promise == 2

    def test_nothing_published_means_nothing_counted(self):
        Promise.objects.update(status=Promise.Status.DRAFT, published_at=None)
        assert not any(row.has_current_promise for row in figures.municipalities())
        assert all(row.health.due == 0 for row in figures.municipalities())
        assert figures.years() == []
        assert all(not area.themes for area in figures.areas(figures.COUNTY))
