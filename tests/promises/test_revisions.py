"""Revising a published promise: it stays online, unchanged, while a draft copy is written,
reviewed and co-signed; publishing the copy replaces the public content at the same address,
updates the commitments follow-up points at, and withdraws (keeps) those it left out."""

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from followup.models import CommitmentStatus
from promises import services
from promises.models import Commitment, FocusArea, Membership, Promise, PromiseApproval
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
)


def _page(client, promise):
    return client.get(promise.get_absolute_url())


class RevisionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality(slug="olofstrom-test")
        cls.police_area = make_police_area()
        cls.coordinator = make_member(cls.municipality, Membership.Role.COORDINATOR)
        cls.police = make_member(cls.police_area, Membership.Role.POLICE)

    def setUp(self):
        self.promise = make_promise(
            parties=[self.municipality, self.police_area], title="Tryggare Olofström"
        )
        self.area = make_focus_area(self.promise, title="Skolvägar")
        self.kept = make_commitment(self.promise, [self.police_area], focus_area=self.area)
        self.dropped = make_commitment(self.promise, [self.municipality], text="Lampor i parken")
        self.round = make_round(self.promise, state="published")

    def _revise(self):
        revision = services.start_revision(promise=self.promise, user=self.coordinator)
        revision.title = "Halvskrivet utkast"
        revision.goal = "Ett nytt mål"
        revision.change_note = "Vi förtydligar målet och stryker lamporna."
        revision.save()
        copy = revision.commitments.get(origin=self.kept)
        copy.text = "Polisen går skolvägarna varje vecka"
        copy.save()
        revision.commitments.get(origin=self.dropped).delete()
        make_commitment(revision, [self.municipality], text="Kommunen röjer buskage")
        return revision

    def _sign(self, revision):
        revision = services.submit_for_review(promise=revision, user=self.coordinator)
        services.approve(promise=revision, user=self.coordinator)
        services.approve(promise=revision, user=self.police)
        return revision

    def test_a_new_focus_area_may_take_the_title_of_one_the_revision_dropped(self):
        revision = self._revise()
        dropped_area = revision.focus_areas.get(origin=self.area)
        dropped_area.title = "Strykes"
        dropped_area.save()
        new_area = make_focus_area(revision, title="Skolvägar", description="Nytt innehåll")
        revision.commitments.filter(focus_area=dropped_area).update(focus_area=new_area)
        dropped_area.delete()
        services.publish_revision(revision=self._sign(revision), user=self.police)
        current = FocusArea.objects.get(promise=self.promise)
        assert current.description == "Nytt innehåll"
        assert FocusArea.all_objects.get(pk=self.area.pk).withdrawn_at is not None

    def test_a_revision_cannot_take_a_signing_municipality_off_the_promise(self):
        other = make_municipality(name="Sölvesborg test")
        self.promise.parties.add(other)
        revision = self._revise()
        revision.parties.remove(other)
        revision = self._sign(revision)
        with pytest.raises(ValidationError, match="Sölvesborg test"):
            services.publish_revision(revision=revision, user=self.police)
        assert other in self.promise.parties.all()
        assert Promise.objects.filter(pk=revision.pk).exists()

    def test_the_published_promise_stays_online_and_unchanged_throughout(self):
        revision = self._revise()
        assert revision.status == Promise.Status.DRAFT
        assert revision.revision_of == self.promise
        for step in ("draft", "in review", "signed"):
            if step == "in review":
                revision = services.submit_for_review(promise=revision, user=self.coordinator)
            if step == "signed":
                services.approve(promise=revision, user=self.coordinator)
                services.approve(promise=revision, user=self.police)
            page = _page(self.client, self.promise)
            assert page.status_code == 200, step
            self.assertContains(page, "Tryggare Olofström")
            self.assertNotContains(page, "Halvskrivet utkast")
            self.assertNotContains(page, "Kommunen röjer buskage")
        services.publish_revision(revision=revision, user=self.police)
        page = _page(self.client, self.promise)
        assert page.status_code == 200
        self.assertContains(page, "Halvskrivet utkast")

    def test_residents_never_see_the_half_edited_copy(self):
        revision = self._revise()
        assert _page(self.client, revision).status_code == 404
        assert not Promise.objects.published().filter(pk=revision.pk).exists()
        municipality_page = self.client.get(self.municipality.get_absolute_url())
        self.assertNotContains(municipality_page, "Halvskrivet")
        search = self.client.get(reverse("promises:search"), {"q": "Halvskrivet"})
        self.assertNotContains(search, revision.get_absolute_url())
        search = self.client.get(reverse("promises:search"), {"q": "buskage"})
        self.assertNotContains(search, "Kommunen röjer buskage")
        sitemap = self.client.get("/sitemap-promises.xml")
        if sitemap.status_code == 200:
            self.assertNotContains(sitemap, revision.slug)
        for dataset in ("promises", "commitments", "focus-areas"):
            url = reverse("opendata:download", kwargs={"dataset": dataset, "fmt": "csv"})
            content = b"".join(self.client.get(url).streaming_content).decode()
            assert "Halvskrivet" not in content and "buskage" not in content
            assert revision.slug not in content

    def test_publishing_replaces_the_content_in_place(self):
        revision = self._sign(self._revise())
        original = services.publish_revision(revision=revision, user=self.police)
        assert original.pk == self.promise.pk
        assert original.slug == self.promise.slug
        assert original.status == Promise.Status.PUBLISHED
        assert original.goal == "Ett nytt mål"
        assert not Promise.objects.filter(pk=revision.pk).exists()
        # The commitment follow-up reported on is the same row, updated.
        self.kept.refresh_from_db()
        assert self.kept.text == "Polisen går skolvägarna varje vecka"
        assert self.kept.focus_area == self.area
        assert CommitmentStatus.objects.filter(commitment=self.kept, round=self.round).exists()
        # The one left out is withdrawn, with its follow-up history, not deleted.
        dropped = Commitment.all_objects.get(pk=self.dropped.pk)
        assert dropped.withdrawn_at is not None
        assert CommitmentStatus.objects.filter(commitment=dropped).exists()
        assert list(original.commitments.values_list("text", flat=True).order_by("text")) == [
            "Kommunen röjer buskage",
            "Polisen går skolvägarna varje vecka",
        ]
        assert FocusArea.objects.filter(promise=original).count() == 1
        # Who signed the revision stays on record with the promise.
        assert PromiseApproval.objects.filter(promise=original).count() == 2
        page = _page(self.client, original)
        self.assertNotContains(page, "Lampor i parken")
        self.assertContains(page, "Vi förtydligar målet och stryker lamporna.")
        assert page.context["last_updated"] == original.published_at
        labels = [str(label) for label in page.context["versions"][0][1]]
        assert "mål" in labels and "åtaganden" in labels

    def test_a_stale_approval_cannot_publish(self):
        revision = self._sign(self._revise())
        copy = revision.commitments.get(origin=self.kept)
        copy.text = "Ändrat efter godkännandet"
        copy.save()
        with pytest.raises(ValidationError, match="saknas"):
            services.publish_revision(revision=revision, user=self.police)
        self.promise.refresh_from_db()
        assert self.promise.goal == "Ökad trygghet."
        assert Promise.objects.filter(pk=revision.pk, status=Promise.Status.IN_REVIEW).exists()

    def test_a_revision_needs_a_note_for_residents(self):
        revision = self._revise()
        revision.change_note = ""
        revision.save()
        revision = self._sign(revision)
        with pytest.raises(ValidationError, match="kort notering"):
            services.publish_revision(revision=revision, user=self.police)

    def test_one_revision_at_a_time_and_never_published_as_itself(self):
        revision = self._sign(self._revise())
        with pytest.raises(ValidationError, match="redan"):
            services.start_revision(promise=self.promise, user=self.coordinator)
        with pytest.raises(ValidationError):
            services.publish(promise=revision, user=self.police)

    def test_the_admin_starts_a_revision_and_leads_to_it(self):
        self.client.force_login(self.coordinator)
        url = reverse("admin:promises_promise_workflow", args=[self.promise.pk, "start_revision"])
        response = self.client.post(url)
        revision = self.promise.revisions.get()
        assert response.url == reverse("admin:promises_promise_change", args=[revision.pk])
        page = self.client.get(response.url)
        self.assertContains(page, "Detta är en revidering")
        original_page = self.client.get(
            reverse("admin:promises_promise_change", args=[self.promise.pk])
        )
        self.assertContains(original_page, "En revidering pågår")


@pytest.mark.django_db
@pytest.mark.parametrize("revisions", [1, 6])
def test_the_page_costs_the_same_however_many_revisions(
    client, django_assert_max_num_queries, revisions
):
    municipality, police_area = make_municipality(), make_police_area()
    coordinator = make_member(municipality, Membership.Role.COORDINATOR)
    police = make_member(police_area, Membership.Role.POLICE)
    promise = make_promise(parties=[municipality, police_area])
    make_commitment(promise, focus_area=make_focus_area(promise))
    for n in range(revisions):
        revision = services.start_revision(promise=promise, user=coordinator)
        revision.goal = f"Mål {n}"
        revision.change_note = f"Version {n}"
        revision.save()
        make_commitment(revision, [police_area], text=f"Nytt {n}")
        revision = services.submit_for_review(promise=revision, user=coordinator)
        services.approve(promise=revision, user=coordinator)
        services.approve(promise=revision, user=police)
        services.publish_revision(revision=revision, user=police)
    with django_assert_max_num_queries(12):
        response = client.get(promise.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["versions"]) == revisions + 1
