"""The national dataset for load tests, at a hundredth of its size."""

import hashlib
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase

from followup.models import CommitmentStatus, FollowUpRound
from promises.models import (
    Commitment,
    FocusArea,
    Membership,
    Party,
    Promise,
    PromiseApproval,
    Theme,
)
from situation.models import Indicator, SafetySurvey, SurveyResult

SCALE = 0.01


def generate(scale=SCALE):
    call_command("generate_national_dataset", scale=scale, stdout=StringIO())


def fingerprint():
    """What was generated, by content (primary keys depend on the database's sequences)."""
    digest = hashlib.sha256()
    for row in Promise.objects.order_by("slug").values_list(
        "slug", "title", "status", "valid_from", "valid_until", "background", "published_at"
    ):
        digest.update(repr(row).encode())
    for row in Commitment.objects.order_by("promise__slug", "order").values_list(
        "promise__slug", "text", "focus_area__title"
    ):
        digest.update(repr(row).encode())
    for row in CommitmentStatus.objects.order_by(
        "round__promise__slug", "round__year", "round__quarter", "commitment__order"
    ).values_list("status", "progress", "done_this_quarter"):
        digest.update(repr(row).encode())
    for row in SurveyResult.objects.order_by(
        "survey__area__slug", "survey__year", "indicator__order", "group"
    ).values_list("value"):
        digest.update(repr(row).encode())
    return digest.hexdigest()


class NationalDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        generate()
        cls.municipalities = list(Party.objects.municipalities().exclude(police_area=None))
        cls.police_areas = list(Party.objects.police_areas())
        cls.promises = list(Promise.objects.all())

    def test_counts_scale_with_the_country(self):
        # 290 municipalities, 95 police areas, ~1,500 promises at scale 1.
        assert len(self.municipalities) == 3
        assert 1 <= len(self.police_areas) <= 3
        assert 8 <= len(self.promises) <= 25
        commitments = Commitment.objects.count()
        assert 11 * len(self.promises) <= commitments <= 60 * len(self.promises)
        assert 3 * len(self.promises) <= FocusArea.objects.count() <= 5 * len(self.promises)
        assert 4 * commitments <= CommitmentStatus.objects.count() <= 12 * commitments
        surveys = SafetySurvey.objects.count()
        assert surveys == 10 * (len(self.municipalities) + len(self.police_areas))
        assert SurveyResult.objects.count() == surveys * Indicator.objects.count() * 5

    def test_every_status_and_state_occurs_and_some_promises_are_current(self):
        statuses = set(Promise.objects.values_list("status", flat=True))
        assert {Promise.Status.PUBLISHED, Promise.Status.ARCHIVED} <= statuses
        assert Promise.objects.current().count() >= 1
        assert FollowUpRound.objects.published().exists()

    def test_focus_areas_are_tagged_with_the_themes_their_titles_suggest(self):
        areas = list(FocusArea.objects.prefetch_related("themes"))
        assert sum(bool(area.themes.all()) for area in areas) >= 0.9 * len(areas)
        for area in areas:
            assert {t.slug for t in area.themes.all()} == {
                t.slug for t in Theme.objects.suggested_for(area.title)
            }

    def test_parties_members_and_approvals(self):
        for municipality in self.municipalities:
            assert municipality.police_area.kind == Party.Kind.POLICE_AREA
            assert municipality.memberships.get().role == Membership.Role.COORDINATOR
            coordinator = municipality.memberships.get().user
            assert coordinator.groups.filter(name=Membership.Role.COORDINATOR).exists()
            assert coordinator.has_usable_password()
        for area in self.police_areas:
            assert area.memberships.get().role == Membership.Role.POLICE
        assert User.objects.get(username="admin").is_superuser
        # One password hashed once, for speed.
        assert User.objects.values("password").distinct().count() == 1
        for promise in Promise.objects.published():
            Promise.validate_parties(promise.parties.all())
            approvals = PromiseApproval.objects.filter(promise=promise)
            assert {a.party.kind for a in approvals} == set(PromiseApproval.SIDES)
            assert {a.content_hash for a in approvals} == {promise.content_hash()}

    def test_rows_pass_model_validation(self):
        for promise in self.promises:
            promise.full_clean()
        for model in (FocusArea, Commitment, FollowUpRound, CommitmentStatus, SafetySurvey):
            for row in model.objects.order_by("?")[:30]:
                row.full_clean()
        for commitment in Commitment.objects.order_by("?")[:30]:
            commitment.validate_owners(list(commitment.owners.all()))
        for result in SurveyResult.objects.order_by("?")[:30]:
            result.full_clean()

    def test_history_rows_with_their_many_to_many_snapshots(self):
        published = Promise.objects.published().first()
        assert published.history.count() == 2
        assert published.history.first().parties.count() == 2
        assert len(published.published_versions()) == 1
        commitment = Commitment.objects.first()
        assert commitment.history.get().owners.count() == commitment.owners.count()
        assert CommitmentStatus.history.count() == CommitmentStatus.objects.count()

    def test_public_pages_render(self):
        promise = Promise.objects.current().first() or Promise.objects.published().first()
        for url in (
            promise.get_absolute_url(),
            FollowUpRound.objects.published().first().get_absolute_url(),
            self.municipalities[0].get_absolute_url(),
        ):
            assert self.client.get(url).status_code == 200, url

    def test_refuses_to_run_on_a_database_that_has_it(self):
        with self.assertRaisesMessage(CommandError, "fresh"):
            generate()


class NationalDatasetDeterminismTests(TestCase):
    def test_two_runs_make_the_same_country(self):
        fingerprints = []
        for _ in range(2):
            with transaction.atomic():
                generate(scale=0.004)  # one municipality is enough to tell
                fingerprints.append(fingerprint())
                transaction.set_rollback(True)
        assert fingerprints[0] == fingerprints[1]
