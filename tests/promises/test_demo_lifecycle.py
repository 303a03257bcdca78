"""The demo shows a promise's whole life: a revision in review, a closed promise with its
assessment, and a promise that continues an earlier one; loading twice changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from demo import lifecycle
from promises.models import Promise


def load_demo(**options):
    call_command("load_demo", stdout=StringIO(), **options)


class DemoLifecycleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo(with_users=True)
        cls.closed = Promise.objects.get(slug=lifecycle.CLOSED)
        cls.current = Promise.objects.get(slug=lifecycle.CONTINUED)

    def test_a_published_promise_with_a_revision_in_review(self):
        revision = self.current.revisions.get()
        assert revision.status == Promise.Status.IN_REVIEW
        assert [p.kind for p in revision.missing_signatures()] == ["police_area"]
        page = self.client.get(self.current.get_absolute_url())
        assert page.status_code == 200
        self.assertNotContains(page, lifecycle.REVISED_TEXT)

    def test_a_closed_promise_with_its_assessment_and_its_continuation(self):
        assert self.closed.outcome == lifecycle.OUTCOME
        assert all(c.completion for c in self.closed.commitments.all())
        page = self.client.get(self.closed.get_absolute_url())
        self.assertContains(page, lifecycle.OUTCOME)
        self.assertContains(page, "Genomförande: begränsat")
        self.assertContains(page, self.current.get_absolute_url())
        page = self.client.get(self.current.get_absolute_url())
        self.assertContains(page, self.closed.get_absolute_url())
        assert self.current.commitments.filter(predecessor__promise=self.closed).count() == 3

    def test_a_second_load_changes_nothing(self):
        counts = (Promise.history.count(), Promise.objects.count())
        load_demo(with_users=True)
        assert (Promise.history.count(), Promise.objects.count()) == counts
