import datetime as dt

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse

from followup.models import CommitmentStatus, FollowUpRound
from promises.models import Membership
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_membership,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
)
from tests.shared_data import TEST_DAY

State = FollowUpRound.State
Status = CommitmentStatus.Status
OVERVIEW = "admin:followup_reviewoverview_changelist"


@time_machine.travel(TEST_DAY)
class FollowUpAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality()
        cls.police_area = make_police_area(name="LPO Granskning")
        cls.promise = make_promise(
            parties=[cls.municipality, cls.police_area],
            title="Granskat löfte",
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2027, 12, 31),
        )
        area = make_focus_area(cls.promise, title="Trafik")
        cls.police_commitment = make_commitment(
            cls.promise, [cls.police_area], focus_area=area, text="Polisen kontrollerar"
        )
        cls.municipal_commitment = make_commitment(
            cls.promise, [cls.municipality], text="Kommunen bygger"
        )
        cls.coordinator = make_membership(party=cls.municipality).user
        cls.police = make_membership(party=cls.police_area, role=Membership.Role.POLICE).user
        cls.stranger = make_membership().user  # coordinator of another municipality

    def _change_url(self, round_):
        return reverse("admin:followup_followupround_change", args=[round_.pk])

    def test_coordinator_adds_a_round_and_gets_status_rows(self):
        self.client.force_login(self.coordinator)
        response = self.client.post(
            reverse("admin:followup_followupround_add"),
            {"promise": self.promise.pk, "year": "2026", "quarter": "1", "summary": "Bra"},
        )
        round_ = FollowUpRound.objects.get()
        self.assertRedirects(response, self._change_url(round_))
        assert round_.statuses.count() == 2

    def test_a_commitment_added_later_gets_its_row_when_the_round_opens(self):
        round_ = make_round(self.promise, 2026, 1)
        added = make_commitment(self.promise, [self.municipality], text="Tillkommet åtagande")
        self.client.force_login(self.police)
        self.client.get(self._change_url(round_))  # the police do not write the round
        assert not round_.statuses.filter(commitment=added).exists()
        self.client.force_login(self.coordinator)
        response = self.client.get(self._change_url(round_))
        self.assertContains(response, "Tillkommet åtagande")
        # Listed, not written: a GET changes nothing; saving the round gives it its row.
        assert not round_.statuses.filter(commitment=added).exists()

    def test_opening_a_round_writes_nothing_saving_it_takes_in_new_commitments(self):
        round_ = make_round(self.promise, 2026, 1)
        added = make_commitment(self.promise, [self.municipality], text="Tillkommet åtagande")
        self.client.force_login(self.coordinator)
        response = self.client.get(self._change_url(round_))
        self.assertContains(response, "får sina statusrader när du sparar")
        self.assertContains(response, "Tillkommet åtagande")
        assert not round_.statuses.filter(commitment=added).exists()
        data = {
            "meeting_date": "",
            "forum": "",
            "summary": "Läget",
            "statuses-TOTAL_FORMS": "0",
            "statuses-INITIAL_FORMS": "0",
            "statuses-MIN_NUM_FORMS": "0",
            "statuses-MAX_NUM_FORMS": "1000",
        }
        response = self.client.post(self._change_url(round_), data)
        assert response.status_code == 302
        assert round_.statuses.filter(commitment=added).count() == 1
        response = self.client.get(self._change_url(round_))
        self.assertNotContains(response, "får sina statusrader när du sparar")

    def test_only_the_promise_coordinators_add_rounds(self):
        data = {"promise": self.promise.pk, "year": "2026", "quarter": "1"}
        self.client.force_login(self.police)
        response = self.client.post(reverse("admin:followup_followupround_add"), data)
        assert response.status_code == 403
        self.client.force_login(self.stranger)
        response = self.client.post(reverse("admin:followup_followupround_add"), data)
        assert response.status_code == 200
        self.assertContains(response, "errorlist")  # not one of their promises
        assert not FollowUpRound.objects.exists()

    def test_change_page_shows_statuses_by_focus_area_with_last_quarter(self):
        q1 = make_round(self.promise, 2026, 1)
        q1.statuses.filter(commitment=self.police_commitment).update(status=Status.AT_RISK)
        q2 = make_round(self.promise, 2026, 2)
        self.client.force_login(self.coordinator)
        response = self.client.get(self._change_url(q2))
        self.assertContains(response, "Polisen kontrollerar")
        self.assertContains(response, "▲")  # last quarter's status beside the commitment
        self.assertContains(response, "Skicka för granskning")

    def test_other_parties_rounds_are_not_found(self):
        round_ = make_round(self.promise, 2026, 1)
        self.client.force_login(self.stranger)
        response = self.client.get(self._change_url(round_))
        assert response.status_code == 404  # not even told that it exists
        response = self.client.get(reverse("admin:followup_followupround_changelist"))
        self.assertNotContains(response, "Granskat löfte")

    def test_coordinator_submits_and_police_approves_through_buttons(self):
        round_ = make_round(self.promise, 2026, 1)
        submit = reverse("admin:followup_followupround_transition", args=[round_.pk, "submit"])
        self.client.force_login(self.police)
        self.client.post(submit)
        round_.refresh_from_db()
        assert round_.state == State.DRAFT  # refused for the police
        self.client.force_login(self.coordinator)
        assert self.client.get(submit).status_code == 405
        response = self.client.post(submit)
        self.assertRedirects(response, self._change_url(round_), fetch_redirect_response=False)
        round_.refresh_from_db()
        assert (round_.state, round_.submitted_by) == (State.SUBMITTED, self.coordinator)

    def test_inline_refuses_changes_to_other_parties_commitments(self):
        round_ = make_round(self.promise, 2026, 1, state=State.SUBMITTED)
        statuses = list(round_.statuses.order_by("pk"))
        self.client.force_login(self.police)
        data = {
            "statuses-TOTAL_FORMS": "2",
            "statuses-INITIAL_FORMS": "2",
            "statuses-MIN_NUM_FORMS": "0",
            "statuses-MAX_NUM_FORMS": "1000",
        }
        for i, status in enumerate(statuses):
            data[f"statuses-{i}-id"] = status.pk
            data[f"statuses-{i}-round"] = round_.pk
            data[f"statuses-{i}-status"] = Status.DONE
        response = self.client.post(self._change_url(round_), data)
        assert response.status_code == 200
        self.assertContains(response, "kan inte ändra status")
        assert not CommitmentStatus.objects.filter(status=Status.DONE).exists()
        # Only the police's own commitment: allowed while the round awaits review.
        theirs = 1 if statuses[1].commitment == self.municipal_commitment else 0
        data[f"statuses-{theirs}-status"] = Status.NOT_STARTED
        response = self.client.post(self._change_url(round_), data)
        assert response.status_code == 302
        assert CommitmentStatus.objects.get(status=Status.DONE).commitment == (
            self.police_commitment
        )

    def test_coordinator_saves_the_round_with_its_statuses_on_one_page(self):
        round_ = make_round(self.promise, 2026, 1)
        statuses = list(round_.statuses.order_by("pk"))
        data = {
            "meeting_date": "2026-04-20",
            "forum": "BRÅ",
            "summary": "Nytt läge",
            "statuses-TOTAL_FORMS": "2",
            "statuses-INITIAL_FORMS": "2",
            "statuses-MIN_NUM_FORMS": "0",
            "statuses-MAX_NUM_FORMS": "1000",
        }
        for i, status in enumerate(statuses):
            data[f"statuses-{i}-id"] = status.pk
            data[f"statuses-{i}-round"] = round_.pk
            data[f"statuses-{i}-status"] = Status.ON_TRACK
            data[f"statuses-{i}-progress"] = "55"
        self.client.force_login(self.coordinator)
        response = self.client.post(self._change_url(round_), data)
        assert response.status_code == 302
        round_.refresh_from_db()
        assert (round_.forum, round_.summary) == ("BRÅ", "Nytt läge")
        assert set(round_.statuses.values_list("status", "progress")) == {(Status.ON_TRACK, 55)}
        # Progress above 100 is refused next to the field, and nothing is written.
        data["statuses-0-progress"] = "120"
        data["summary"] = "Ändrat igen"
        response = self.client.post(self._change_url(round_), data)
        assert response.status_code == 200
        round_.refresh_from_db()
        assert round_.summary == "Nytt läge"

    def test_bulk_status_change_with_intermediate_form(self):
        round_ = make_round(self.promise, 2026, 1)
        pks = list(round_.statuses.values_list("pk", flat=True))
        url = reverse("admin:followup_commitmentstatus_changelist")
        self.client.force_login(self.coordinator)
        response = self.client.post(url, {"action": "change_status", "_selected_action": pks})
        assert response.status_code == 200
        self.assertContains(response, "Ny status")
        response = self.client.post(
            url,
            {
                "action": "change_status",
                "_selected_action": pks,
                "apply": "1",
                "status": Status.ON_TRACK,
            },
        )
        assert response.status_code == 302
        assert set(round_.statuses.values_list("status", flat=True)) == {Status.ON_TRACK}

    def test_police_edits_only_their_own_commitment_status(self):
        round_ = make_round(self.promise, 2026, 1)
        own = round_.statuses.get(commitment=self.police_commitment)
        theirs = round_.statuses.get(commitment=self.municipal_commitment)
        self.client.force_login(self.police)
        url = reverse("admin:followup_commitmentstatus_change", args=[own.pk])
        response = self.client.post(url, {"status": Status.ON_TRACK, "progress": "60"})
        assert response.status_code == 302
        own.refresh_from_db()
        assert (own.status, own.progress) == (Status.ON_TRACK, 60)
        url = reverse("admin:followup_commitmentstatus_change", args=[theirs.pk])
        self.client.post(url, {"status": Status.DONE})
        theirs.refresh_from_db()
        assert theirs.status == Status.NOT_STARTED

    def test_overview_lists_awaiting_overdue_and_at_risk(self):
        q1 = make_round(self.promise, 2026, 1, state=State.SUBMITTED)
        q1.statuses.filter(commitment=self.police_commitment).update(status=Status.DELAYED)
        self.client.force_login(self.police)
        response = self.client.get(reverse(OVERVIEW))
        self.assertContains(response, "Granskat löfte")
        self.assertContains(response, "Polisen kontrollerar")  # delayed
        self.assertContains(
            response,
            reverse("admin:followup_followupround_transition", args=[q1.pk, "approve"]),
        )
        self.assertContains(response, "csrfmiddlewaretoken")
        # Q1 2026 was due on 30 April 2026: overdue unless approved.
        self.assertContains(response, "2026-04-30")
        # Quarters without a round yet are named in words too, in the reader's language.
        self.assertContains(response, "kvartal 2 2026")
        self.assertNotContains(response, "2026 Q")

    def test_overview_filters_and_sorts(self):
        make_round(self.promise, 2026, 1, state=State.SUBMITTED)
        other = make_promise(parties=[make_municipality(), self.police_area], title="Annat löfte")
        self.client.force_login(self.police)
        response = self.client.get(reverse(OVERVIEW), {"state": State.SUBMITTED})
        self.assertContains(response, "Granskat löfte")
        self.assertNotContains(response, "Annat löfte")
        content = self.client.get(reverse(OVERVIEW), {"sort": "promise"}).content.decode()
        assert content.index(other.title) < content.index("Granskat löfte")
        assert 'aria-sort="ascending"' in content
        content = self.client.get(reverse(OVERVIEW), {"sort": "-promise"}).content.decode()
        assert content.index("Granskat löfte") < content.index(other.title)
        assert 'aria-sort="descending"' in content

    def test_overview_filter_keeps_the_chosen_sort(self):
        make_round(self.promise, 2026, 1, state=State.SUBMITTED)
        self.client.force_login(self.police)
        response = self.client.get(reverse(OVERVIEW), {"sort": "-state", "state": State.SUBMITTED})
        self.assertContains(response, '<input type="hidden" name="sort" value="-state">', html=True)
        self.assertContains(response, 'aria-sort="descending"')

    def test_police_returns_from_overview_with_comment(self):
        round_ = make_round(self.promise, 2026, 1, state=State.SUBMITTED)
        self.client.force_login(self.police)
        url = reverse("admin:followup_followupround_transition", args=[round_.pk, "return"])
        next_url = reverse(OVERVIEW) + "?sort=state"
        response = self.client.post(url, {"comment": "Komplettera", "next": next_url})
        self.assertRedirects(response, next_url, fetch_redirect_response=False)
        round_.refresh_from_db()
        assert (round_.state, round_.reviewer_comment) == (State.RETURNED, "Komplettera")
        # An outside "next" is not followed.
        round_.state = State.SUBMITTED
        round_.save()
        url = reverse("admin:followup_followupround_transition", args=[round_.pk, "approve"])
        response = self.client.post(url, {"next": "https://evil.example/"})
        self.assertRedirects(response, self._change_url(round_), fetch_redirect_response=False)

    def test_overview_is_for_police_only(self):
        self.client.force_login(self.coordinator)
        assert self.client.get(reverse(OVERVIEW)).status_code == 403
        self.client.force_login(self.police)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, reverse(OVERVIEW))

    def test_admin_actions_change_state_of_selected_rounds(self):
        round_ = make_round(self.promise, 2026, 1)
        url = reverse("admin:followup_followupround_changelist")
        self.client.force_login(self.coordinator)
        self.client.post(url, {"action": "submit_for_review", "_selected_action": [round_.pk]})
        round_.refresh_from_db()
        assert round_.state == State.SUBMITTED
        self.client.force_login(self.police)
        self.client.post(url, {"action": "approve", "_selected_action": [round_.pk]})
        self.client.post(url, {"action": "publish", "_selected_action": [round_.pk]})
        round_.refresh_from_db()
        assert round_.state == State.PUBLISHED


@pytest.mark.django_db
@pytest.mark.parametrize(("promises", "rounds", "commitments"), [(1, 1, 2), (6, 8, 12)])
@time_machine.travel(TEST_DAY)
def test_overview_query_count_stays_flat(
    client, django_assert_max_num_queries, promises, rounds, commitments
):
    police_area = make_police_area()
    police = make_membership(party=police_area, role=Membership.Role.POLICE).user
    for _ in range(promises):
        promise = make_promise(
            parties=[make_municipality(), police_area],
            valid_from=dt.date(2024, 1, 1),
            valid_until=dt.date(2026, 12, 31),
        )
        for _ in range(commitments):
            make_commitment(promise)
        for i in range(rounds):
            make_round(promise, 2024 + i // 4, i % 4 + 1, state=State.SUBMITTED)
    CommitmentStatus.objects.update(status=Status.AT_RISK)
    client.force_login(police)
    with django_assert_max_num_queries(14):
        response = client.get(reverse(OVERVIEW))
    assert response.status_code == 200
    assert response.content.decode().count("Skicka tillbaka med kommentar") >= promises * rounds


class AdminLoginTests(TestCase):
    def test_login_page_loads_for_someone_not_signed_in(self):
        # The admin lists its apps on every page, the login page included; the police
        # overview's entry must not ask who reviews what of an anonymous visitor.
        response = self.client.get(reverse("admin:login"))
        assert response.status_code == 200
        self.assertContains(response, 'name="username"')
