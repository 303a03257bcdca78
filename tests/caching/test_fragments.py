"""Precomputed fragments: a page's body is rendered once per version of what it shows, a write
renders exactly the fragments that show it afresh, and readers never see stale or private data.

The page cache is off here (PAGE_CACHE_SECONDS=0), as on the first request after a publish, so
that every request reaches the view."""

import datetime as dt
from unittest import mock

import time_machine
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.template import RequestContext, Template
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from caching import fragments
from caching.local import forget_copies
from followup.models import FollowUpRound
from promises.models import Membership
from tests.conftest import task_backend
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_indicator,
    make_member,
    make_partner,
    make_problem,
    make_promise,
    make_round,
    make_safety_survey,
    make_survey_result,
)
from tests.outbox.test_delivery import run_worker


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


@override_settings(PAGE_CACHE_SECONDS=0)
class PromiseFragmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.small = make_promise(title="Trygg skolväg")
        make_commitment(cls.small, text="Vi går skolvägen med föräldrarna")
        cls.large = make_promise(title="Tryggare centrum")
        for n in range(3):
            area = make_focus_area(cls.large, title=f"Område {n}")
            for m in range(8):
                make_commitment(cls.large, focus_area=area, text=f"Åtagande {n}.{m}")

    def test_a_stored_body_costs_the_same_few_queries_however_big_the_promise(self):
        counts = {}
        for promise in (self.small, self.large):
            url = promise.get_absolute_url()
            first, _ = _queries(self.client, url)
            counts[promise], response = _queries(self.client, url)
            assert counts[promise] < first
            self.assertContains(response, promise.title)
        assert counts[self.small] == counts[self.large] == 0
        self.assertContains(response, "Åtagande 2.7")

    def test_a_write_renders_exactly_the_fragments_that_show_it_afresh(self):
        small_url, large_url = self.small.get_absolute_url(), self.large.get_absolute_url()
        small_hit = _queries(self.client, small_url) and _queries(self.client, small_url)[0]
        large_hit = _queries(self.client, large_url) and _queries(self.client, large_url)[0]

        make_commitment(self.small, text="Vi startar nattvandringar")

        count, response = _queries(self.client, small_url)
        assert count > small_hit  # rendered afresh
        self.assertContains(response, "Vi startar nattvandringar")
        assert _queries(self.client, large_url)[0] == large_hit  # untouched: still stored

    def test_publishing_a_round_refreshes_that_promises_pages_and_not_anothers(self):
        timeline = reverse("followup:timeline", args=[self.small.slug])
        other_timeline = reverse("followup:timeline", args=[self.large.slug])
        for url in (timeline, other_timeline, self.large.get_absolute_url()):
            _queries(self.client, url)
        other_hits = {
            url: _queries(self.client, url)[0]
            for url in (other_timeline, self.large.get_absolute_url())
        }

        make_round(
            self.small, state=FollowUpRound.State.PUBLISHED, summary="Kvartalets uppföljning"
        )

        self.assertContains(self.client.get(timeline), "Kvartalets uppföljning")
        self.assertContains(self.client.get(self.small.get_absolute_url()), "Senaste uppföljning")
        for url, hit in other_hits.items():
            assert _queries(self.client, url)[0] == hit, url

    def test_a_stored_page_names_its_scopes_and_costs_no_query_at_all(self):
        round_ = make_round(self.large, state=FollowUpRound.State.PUBLISHED)
        municipality = self.large.municipalities()[0]
        urls = [
            self.large.get_absolute_url(),
            reverse("followup:timeline", args=[self.large.slug]),
            round_.get_absolute_url(),
            reverse("promises:municipality_detail", args=[municipality.slug]),
            reverse("situation:survey_detail", args=[municipality.slug]),
            reverse("situation:municipality_situation", args=[municipality.slug]),
        ]
        for url in urls:
            _queries(self.client, url)
            assert _queries(self.client, url)[0] == 0, url

    def test_a_round_taken_back_is_404_although_its_body_was_stored(self):
        round_ = make_round(self.small, state=FollowUpRound.State.PUBLISHED)
        url = round_.get_absolute_url()
        self.client.get(url)
        round_.state = FollowUpRound.State.DRAFT
        round_.save()
        assert self.client.get(url).status_code == 404

    def test_unlinking_a_problem_refreshes_the_page_it_was_shown_on(self):
        area = self.large.focus_areas.first()
        for unlink in ("remove", "clear"):
            with self.subTest(unlink):
                problem = make_problem(title=f"Ungdomsgäng vid torget ({unlink})")
                problem.focus_areas.add(area)
                self.assertContains(self.client.get(self.large.get_absolute_url()), problem.title)
                manager = problem.focus_areas
                manager.remove(area) if unlink == "remove" else manager.clear()
                page = self.client.get(self.large.get_absolute_url())
                self.assertNotContains(page, problem.title)

    def test_an_unpublished_promise_is_404_although_its_body_was_stored(self):
        url = self.small.get_absolute_url()
        self.client.get(url)
        self.small.status = self.small.Status.ARCHIVED
        self.small.save()
        assert self.client.get(url).status_code == 404

    def test_a_language_has_a_fragment_of_its_own(self):
        self.client.get(self.small.get_absolute_url())
        with self.settings(LANGUAGE_CODE="sv"):
            english = self.client.get("/en" + self.small.get_absolute_url())
        self.assertContains(english, "What we will do")

    def test_signed_in_editors_get_bodies_rendered_for_them(self):
        url = self.large.get_absolute_url()
        anonymous_hit = _queries(self.client, url) and _queries(self.client, url)[0]
        editor = make_member(self.large.parties.first(), Membership.Role.COORDINATOR)
        self.client.force_login(editor)
        count, response = _queries(self.client, url)
        assert count > anonymous_hit + 3  # the body's queries too, not only the session's
        self.assertContains(response, "Åtagande 2.7")

    @override_settings(SITE_URL="http://testserver")  # the address the test client uses
    def test_after_the_commit_the_changed_pages_are_rendered_again_at_once(self):
        url = self.small.get_absolute_url()
        hit = _queries(self.client, url) and _queries(self.client, url)[0]
        with self.captureOnCommitCallbacks(execute=True):
            make_commitment(self.small, text="Vi lyser upp gångtunneln")
        count, response = _queries(self.client, url)
        assert count == hit  # the warm-up stored the new body
        self.assertContains(response, "Vi lyser upp gångtunneln")

    @override_settings(SITE_URL="http://testserver")
    def test_the_write_only_queues_the_warm_up_and_the_worker_renders_the_pages(self):
        url = self.small.get_absolute_url()
        hit = _queries(self.client, url) and _queries(self.client, url)[0]
        with (
            task_backend("django_tasks_db.DatabaseBackend"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            make_commitment(self.small, text="Vi lyser upp gångtunneln")
        queued = DBTaskResult.objects.get()
        assert queued.task_path == "caching.fragments.warm_pages"
        with task_backend("django_tasks_db.DatabaseBackend"):
            run_worker()
        count, response = _queries(self.client, url)
        assert count == hit  # the worker stored the new body
        self.assertContains(response, "Vi lyser upp gångtunneln")

    def test_a_transaction_rolled_back_leaves_no_pages_for_the_next_one_to_render(self):
        with mock.patch.object(fragments, "warm_pages") as warm_pages:
            try:
                with transaction.atomic():
                    make_commitment(self.large, text="Aldrig sparat")
                    raise RuntimeError
            except RuntimeError:
                pass
            with self.captureOnCommitCallbacks(execute=True):
                make_commitment(self.small, text="Sparat")
                make_commitment(self.small, text="Sparat igen")
        [(scopes,)] = [call.args for call in warm_pages.enqueue.call_args_list]
        assert fragments.scope("promise", self.small.pk) in scopes
        assert fragments.scope("promise", self.large.pk) not in scopes

    def test_warm_renders_nothing_for_an_address_the_site_does_not_answer_to(self):
        scopes = {fragments.scope("promise", self.small.pk)}
        assert fragments.warm(scopes, base_url="https://elsewhere.example") == 0
        assert fragments.warm(scopes, base_url="http://testserver") > 0

    def test_warm_renders_the_pages_of_the_scopes_and_the_lists(self):
        with self.settings(LANGUAGES=[("sv", "Svenska")]):
            paths = fragments.paths_of({fragments.scope("promise", self.small.pk)})
        assert paths[:2] == [reverse("promises:home"), reverse("promises:archive")]
        assert self.small.get_absolute_url() in paths
        assert reverse("followup:timeline", args=[self.small.slug]) in paths
        assert self.large.get_absolute_url() not in paths


@override_settings(PAGE_CACHE_SECONDS=0)
class MunicipalityFragmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.one, cls.other = make_promise(), make_promise()
        cls.municipality = cls.one.municipalities()[0]
        cls.other_municipality = cls.other.municipalities()[0]
        cls.survey = make_safety_survey(area=cls.municipality)
        cls.indicator = make_indicator()
        make_survey_result(cls.survey, cls.indicator, value=25)

    def test_a_survey_change_refreshes_that_municipalitys_survey_page_only(self):
        url = reverse("situation:survey_detail", args=[self.municipality.slug])
        other = reverse("situation:survey_detail", args=[self.other_municipality.slug])
        before = self.client.get(url).content
        _queries(self.client, other)
        other_hit = _queries(self.client, other)[0]

        # A new year's result of the same indicator (a new indicator's name shows everywhere).
        make_survey_result(make_safety_survey(self.municipality, year=2024), self.indicator)

        assert self.client.get(url).content != before
        assert _queries(self.client, other)[0] == other_hit

    def test_the_home_page_follows_every_write(self):
        home = reverse("promises:home")
        self.client.get(home)
        make_promise(title="Ett alldeles nytt löfte")
        self.assertContains(self.client.get(home), "Ett alldeles nytt löfte")


class PrecomputedTagTests(TestCase):
    TEMPLATE = Template(
        "{% load precomputed %}{% precomputed body %}{{ text }}{% endprecomputed %}"
    )

    def _render(self, request, text, with_csrf=False):
        body = fragments.Fragment(request, "test")
        template = self.TEMPLATE
        if with_csrf:
            template = Template(
                "{% load precomputed %}{% precomputed body %}{% csrf_token %}{% endprecomputed %}"
            )
        return body, template.render(RequestContext(request, {"body": body, "text": text}))

    def test_the_body_is_rendered_once_and_then_served_as_stored(self):
        request = RequestFactory().get("/")
        assert self._render(request, "first")[1] == "first"
        body, html = self._render(request, "second")
        assert not body.missing
        assert html == "first"

    def test_a_body_holding_a_csrf_token_is_never_stored(self):
        request = RequestFactory().get("/")
        self._render(request, "", with_csrf=True)
        assert fragments.Fragment(request, "test").missing

    def test_a_request_with_a_session_neither_reads_nor_stores(self):
        request = RequestFactory().get("/", headers={"cookie": "sessionid=abc"})
        self._render(request, "first")
        body, html = self._render(request, "second")
        assert body.missing
        assert html == "second"

    def test_a_write_of_a_model_without_scopes_renews_every_fragment(self):
        request = RequestFactory().get("/")
        self._render(request, "first")
        fragments.bump({fragments.ALL})
        assert self._render(request, "second")[1] == "second"


class ChromeTests(TestCase):
    def test_the_header_and_footer_are_the_same_kept_or_rendered(self):
        with self.settings(FRAGMENT_CACHE_SECONDS=0):  # rendered each time
            rendered = self.client.get(reverse("accessibility")).content
        first = self.client.get(reverse("accessibility")).content
        kept = self.client.get(reverse("accessibility")).content
        assert rendered == first == kept

    def test_the_chrome_follows_the_address_and_the_language(self):
        home = self.client.get(reverse("promises:home"))
        archive = self.client.get(reverse("promises:archive"))
        self.assertContains(home, f'href="{reverse("promises:home")}" aria-current="page"')
        self.assertContains(archive, f'href="{reverse("promises:archive")}" aria-current="page"')
        self.assertNotContains(archive, f'href="{reverse("promises:home")}" aria-current="page"')
        english = self.client.get("/en" + reverse("promises:archive"))
        self.assertContains(english, "Report an error on this page")


class ReusingRedisClientTests(TestCase):
    def test_one_client_serves_every_operation_of_a_pool(self):
        from caching.redis import RedisCache

        cache = RedisCache("redis://127.0.0.1:1/0", {})  # never connected: making a client
        client = cache._cache.get_client()
        assert cache._cache.get_client() is client
        assert cache._cache.get_client(write=True) is client  # one server, one pool


@override_settings(PAGE_CACHE_SECONDS=0)
class FeedFragmentTests(TestCase):
    def test_a_stored_feed_costs_no_query_and_a_new_round_renews_it(self):
        promise = make_promise()
        make_round(promise, state=FollowUpRound.State.PUBLISHED, summary="Första kvartalet")
        url = reverse("followup:feed")
        first = self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            again = self.client.get(url)
        assert not [q for q in queries if q["sql"].startswith("SELECT")]
        assert again.content == first.content
        assert again["Content-Type"] == first["Content-Type"]
        assert again["Last-Modified"] == first["Last-Modified"]
        make_round(promise, quarter=2, state=FollowUpRound.State.PUBLISHED, summary="Andra")
        self.assertContains(self.client.get(url), "Andra")

    def test_an_unknown_municipalitys_feed_is_404_and_never_stored(self):
        url = reverse("followup:municipality_feed", args=["ingenstans"])
        assert self.client.get(url).status_code == 404
        assert self.client.get(url).status_code == 404


class DataMigrationTests(TestCase):
    def test_a_data_migrations_writes_render_no_pages(self):
        state_apps = MigrationLoader(connection).project_state().apps
        FakeParty = state_apps.get_model("promises", "Party")
        with (
            mock.patch.object(fragments, "warm") as warm,
            self.captureOnCommitCallbacks(execute=True),
        ):
            FakeParty.objects.create(kind="partner", name="Föreningen", slug="foreningen")
        warm.assert_not_called()
        with (
            mock.patch.object(fragments, "warm") as warm,
            self.captureOnCommitCallbacks(execute=True),
        ):
            make_partner()
        warm.assert_called_once()


class PrecomputedEachTests(TestCase):
    """Values of many scopes at once (the API's rows): each computed once, and again only when
    a write moves on its own scope or ALL."""

    def _values(self, scopes_by_id):
        computed = []

        def compute(ids):
            computed.extend(ids)
            return {item: f"value of {item}" for item in ids}

        values = fragments.precomputed_each("rows", scopes_by_id, compute)
        assert values == {item: f"value of {item}" for item in scopes_by_id}
        return sorted(computed)

    def test_each_value_is_computed_once_and_again_after_a_write_to_its_scope(self):
        scopes = {1: "promise:1", 2: "promise:1", 3: "promise:2", 4: None}
        assert self._values(scopes) == [1, 2, 3, 4]
        assert self._values(scopes) == []
        fragments.bump(["promise:1"])
        assert self._values(scopes) == [1, 2]
        assert self._values({**scopes, 5: "promise:2"}) == [5]
        fragments.bump([fragments.ALL])
        assert self._values(scopes) == [1, 2, 3, 4]

    def test_with_the_cache_down_every_value_is_computed(self):
        self._values({1: "promise:1"})
        cache = fragments.pages._cache()
        with (
            mock.patch.object(cache, "get_many", side_effect=ConnectionError),
            mock.patch.object(cache, "set_many", side_effect=ConnectionError),
        ):
            assert self._values({1: "promise:1", 2: None}) == [1, 2]

    @override_settings(FRAGMENT_CACHE_SECONDS=0)
    def test_without_fragments_every_value_is_computed(self):
        assert self._values({1: "promise:1"}) == [1]
        assert self._values({1: "promise:1"}) == [1]


class PrecomputedTests(TestCase):
    """One value kept whole (the search form's lists, a list's page of ids): computed once per
    version of its scopes, and again when a write moves one on or its own time has come."""

    def setUp(self):
        self.computed = 0

    def _value(self, until=None):
        def compute():
            self.computed += 1
            return ["Ale", "Alingsås"]

        assert fragments.precomputed("lists", compute, fragments.GENERATION, until=until) == [
            "Ale",
            "Alingsås",
        ]
        return self.computed

    def test_computed_once_and_again_after_a_write(self):
        assert self._value() == 1
        assert self._value() == 1
        fragments.bump([fragments.GENERATION])
        assert self._value() == 2

    def test_a_kept_copy_costs_the_transfer_of_the_stamps_alone(self):
        self._value()
        cache = fragments.pages._cache()
        with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
            assert self._value() == 1
        (asked,) = [call.args[0] for call in get_many.call_args_list]
        assert all(key.startswith(fragments.STAMP_PREFIX) for key in asked)

    def test_another_process_uses_the_stored_value(self):
        self._value()
        forget_copies()
        assert self._value() == 1

    def test_a_value_stale_from_a_later_time_is_computed_again_then(self):
        later = timezone.now() + dt.timedelta(hours=1)
        assert self._value(until=lambda: later) == 1
        assert self._value(until=lambda: later) == 1
        with time_machine.travel(later + dt.timedelta(minutes=1)):
            assert self._value(until=lambda: None) == 2
            assert self._value(until=lambda: None) == 2
            forget_copies()
            assert self._value(until=lambda: None) == 2

    def test_with_the_cache_down_the_value_is_computed(self):
        cache = fragments.pages._cache()
        with mock.patch.object(cache, "get_many", side_effect=ConnectionError):
            assert self._value() == 1
            assert self._value() == 2
