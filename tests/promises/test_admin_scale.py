"""The admin at scale: a page costs as many queries for a promise of 55 commitments (a round of
55 statuses, a list of many rows) as for one of 5, and a change page at most 30."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import FollowUpRound
from promises.models import Membership, Promise
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_indicator,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
    make_safety_survey,
    make_survey_result,
    make_user,
)

MAX_CHANGE_PAGE_QUERIES = 30
CHANGELISTS = [
    "admin:promises_promise_changelist",
    "admin:promises_commitment_changelist",
    "admin:promises_focusarea_changelist",
    "admin:followup_followupround_changelist",
    "admin:followup_commitmentstatus_changelist",
    "admin:situation_surveyresult_changelist",
]


def make_promise_to_follow_up(parties, commitments):
    """A draft promise with three focus areas, its commitments spread over them (owned by the
    promise's parties) and a round being written with a status row for each."""
    promise = make_promise(parties=parties, status=Promise.Status.DRAFT, published_at=None)
    areas = [make_focus_area(promise) for _ in range(3)]
    for n in range(commitments):
        make_commitment(promise, focus_area=areas[n % 3])
    make_round(promise, state=FollowUpRound.State.DRAFT)
    return promise


class AdminScaleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        municipality, police_area = make_municipality(), make_police_area()
        parties = [municipality, police_area]
        cls.small = make_promise_to_follow_up(parties, commitments=5)
        cls.large = make_promise_to_follow_up(parties, commitments=55)
        cls.users = {
            "superuser": make_user(is_staff=True, is_superuser=True),
            "coordinator": make_member(municipality, Membership.Role.COORDINATOR),
            "police": make_member(police_area, Membership.Role.POLICE),
        }
        cls.survey = make_safety_survey(area=municipality)

    def count_queries(self, url):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        assert response.status_code == 200, url
        return len(queries)

    def change_page_counts(self, url_name, objects):
        counts = []
        for obj in objects:
            url = reverse(url_name, args=[obj.pk])
            self.client.get(url)  # the first request of a test fills Django's own caches
            counts.append(self.count_queries(url))
        return counts

    def test_promise_change_page_is_flat(self):
        for role, user in self.users.items():
            with self.subTest(role):
                self.client.force_login(user)
                small, large = self.change_page_counts(
                    "admin:promises_promise_change", [self.small, self.large]
                )
                assert small == large, (small, large)
                assert large <= MAX_CHANGE_PAGE_QUERIES, large

    def test_round_change_page_is_flat(self):
        rounds = [promise.followup_rounds.get() for promise in (self.small, self.large)]
        assert rounds[1].statuses.count() == 55
        for role, user in self.users.items():
            with self.subTest(role):
                self.client.force_login(user)
                small, large = self.change_page_counts(
                    "admin:followup_followupround_change", rounds
                )
                assert small == large, (small, large)
                assert large <= MAX_CHANGE_PAGE_QUERIES, large

    def test_survey_change_page_is_flat(self):
        small, large = make_safety_survey(area=self.survey.area, year=2024), self.survey
        for indicator in [make_indicator() for _ in range(55)]:
            make_survey_result(survey=large, indicator=indicator)
            if small.results.count() < 5:
                make_survey_result(survey=small, indicator=indicator)
        for role in ("superuser", "coordinator"):
            with self.subTest(role):
                self.client.force_login(self.users[role])
                small_count, large_count = self.change_page_counts(
                    "admin:situation_safetysurvey_change", [small, large]
                )
                assert small_count == large_count, (small_count, large_count)
                assert large_count <= MAX_CHANGE_PAGE_QUERIES, large_count

    def changelist_counts(self):
        counts = {}
        for role, user in self.users.items():
            self.client.force_login(user)
            for url_name in CHANGELISTS:
                self.client.get(reverse(url_name))  # as in change_page_counts()
                counts[role, url_name] = self.count_queries(reverse(url_name))
        return counts

    def test_changelists_are_flat(self):
        for indicator in [make_indicator() for _ in range(5)]:
            make_survey_result(survey=self.survey, indicator=indicator)
        before = self.changelist_counts()
        parties = list(self.small.parties.all())
        for _ in range(5):
            make_promise_to_follow_up(parties, commitments=10)
        for indicator in [make_indicator() for _ in range(50)]:
            make_survey_result(survey=self.survey, indicator=indicator)
        after = self.changelist_counts()
        for key, count in before.items():
            with self.subTest(key):
                assert after[key] == count, (after[key], count)
