"""Each process's copies of pages and fragments: they save the transfer from the shared cache,
never its check, so a write made through another instance is seen at once."""

import time
from unittest import mock

import time_machine
from django.core.cache import cache
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings

from caching import fragments, pages
from caching.local import LocalCopies
from tests.factories import make_commitment, make_promise


class LocalCopiesTests(SimpleTestCase):
    @override_settings(LOCAL_COPIES_BYTES=10)
    def test_the_least_recently_used_go_first_beyond_the_limit(self):
        copies = LocalCopies()
        copies.put("a", "A", 4, 3600)
        copies.put("b", "B", 4, 3600)
        assert copies.get("a") == "A"  # now the most recently used
        copies.put("c", "C", 4, 3600)
        assert copies.get("b") is None
        assert (copies.get("a"), copies.get("c")) == ("A", "C")
        copies.put("huge", "H", 11, 3600)
        assert copies.get("huge") is None

    def test_a_copy_is_kept_a_minute_or_the_shared_caches_timeout_if_shorter(self):
        copies = LocalCopies()
        copies.put("page", "P", 1, 3600)
        copies.put("short", "S", 1, 10)
        with time_machine.travel(time.time() + 11):
            assert (copies.get("page"), copies.get("short")) == ("P", None)
        with time_machine.travel(time.time() + 61):
            assert copies.get("page") is None


def _keys_asked(method):
    """The keys each call of the shared cache's `method` asked for."""
    asked = []
    original = getattr(cache, method)

    def spy(keys, *args, **kwargs):
        asked.append(keys)
        return original(keys, *args, **kwargs)

    return asked, mock.patch.object(cache, method, spy)


class PageCopyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.promise = make_promise(title="Tryggare centrum")
        cls.url = cls.promise.get_absolute_url()

    def test_a_copy_is_served_after_asking_only_for_the_generation(self):
        first = self.client.get(self.url)
        asked, spy = _keys_asked("get")
        many, spy_many = _keys_asked("get_many")
        with spy, spy_many:
            again = self.client.get(self.url)
        assert again.content == first.content
        assert asked == [pages.GENERATION_KEY]
        assert many == []

    def test_a_write_through_another_instance_makes_the_copy_stale(self):
        self.client.get(self.url)
        # Another instance's write: the shared cache's generation moves on, this process's
        # copy stays as it was.
        make_commitment(self.promise, text="Vi lyser upp gångtunneln")
        self.assertContains(self.client.get(self.url), "Vi lyser upp gångtunneln")


@override_settings(PAGE_CACHE_SECONDS=0)
class FragmentCopyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.promise = make_promise(title="Tryggare centrum")
        cls.url = cls.promise.get_absolute_url()

    def test_a_copy_of_a_fragment_costs_the_transfer_of_its_stamps_alone(self):
        self.client.get(self.url)
        many, spy = _keys_asked("get_many")
        with spy:
            self.client.get(self.url)
        stamps = {fragments.STAMP_PREFIX + fragments.ALL}
        stamps.add(fragments.STAMP_PREFIX + fragments.scope("promise", self.promise.pk))
        assert [set(keys) for keys in many] == [stamps]

    def test_a_stale_copy_gives_way_to_the_fragment_another_process_stored(self):
        request = RequestFactory().get("/")
        body = fragments.Fragment(request, "test")
        body.store("first")
        assert fragments.Fragment(request, "test").html == "first"
        fragments.bump({fragments.ALL})
        # Another process renders and stores the new version; this one still has its copy.
        other = fragments.Fragment(request, "test")
        with mock.patch.object(fragments, "_copies", LocalCopies()):
            other.store("second")
        assert fragments.Fragment(request, "test").html == "second"


class ValueCopyTests(TestCase):
    def test_kept_rows_cost_the_transfer_of_their_stamps_alone(self):
        def compute(ids):
            return {pk: f"row {pk}".encode() for pk in ids}

        scopes = {1: fragments.scope("promise", 1), 2: None}
        first = fragments.precomputed_each("rows", scopes, compute)
        many, spy = _keys_asked("get_many")
        with spy:
            again = fragments.precomputed_each(
                "rows", scopes, mock.Mock(side_effect=AssertionError)
            )
        assert again == first == {1: b"row 1", 2: b"row 2"}
        stamps = {fragments.STAMP_PREFIX + name for name in (fragments.ALL, scopes[1])}
        assert [set(keys) for keys in many] == [stamps]
        fragments.bump({scopes[1]})
        assert fragments.precomputed_each("rows", scopes, lambda ids: {1: b"new"}) == {
            1: b"new",
            2: b"row 2",
        }

    def test_a_stale_copy_gives_way_to_the_row_another_process_stored(self):
        scopes = {1: fragments.scope("promise", 1)}
        fragments.precomputed_each("rows", scopes, lambda ids: {1: b"old"})
        fragments.bump({scopes[1]})
        # Another process (the warm-up after the write) renders and stores the new row.
        with mock.patch.object(fragments, "_copies", LocalCopies()):
            fragments.precomputed_each("rows", scopes, lambda ids: {1: b"new"})
        refused = mock.Mock(side_effect=AssertionError("computed again"))
        assert fragments.precomputed_each("rows", scopes, refused) == {1: b"new"}
