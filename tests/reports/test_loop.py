"""The report loop: a reporter who left an address is told when the report is received, when
the municipality has looked at it and what came of it; after "dealt with" they answer whether
the place feels better, and a "no" reopens the report."""

import re
from urllib.parse import urlsplit

from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.urls import reverse

from promises.models import Membership
from reports.models import ErrorReport, FeelsBetter, Outcome, TriageStatus, UnsafePlaceReport
from reports.services import feels_better_token
from tests.factories import (
    make_commitment,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
    make_situation_picture,
    make_unsafe_place_report,
)

CHANGE = "admin:reports_unsafeplacereport_change"


class ReportLoopTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality()
        cls.promise = make_promise(parties=[cls.municipality, make_police_area()])
        cls.commitment = make_commitment(cls.promise, text="Belysning längs gångvägen")
        cls.coordinator = make_member(cls.municipality, Membership.Role.COORDINATOR)

    def report(self, language="", email="boende@example.org"):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                f"{language}/rapportera/otrygg-plats/",
                {
                    "municipality": self.municipality.slug,
                    "place": "Gångtunneln vid stationen",
                    "description": "Mörkt och ingen belysning.",
                    "email": email,
                    "consent": "on",
                },
            )
        assert response.status_code == 302, response.content
        return UnsafePlaceReport.objects.latest("pk")

    def triage(self, report, **data):
        self.client.force_login(self.coordinator)
        fields = {"status": report.status, "note": "", "outcome": "", "public_answer": ""}
        fields.update(data)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse(CHANGE, args=[report.pk]), fields)
        self.client.logout()
        assert response.status_code == 302, response.content
        report.refresh_from_db()
        return report

    def test_received_then_looked_at_then_dealt_with_and_it_feels_better(self):
        report = self.report()
        (received,) = mail.outbox
        assert received.to == ["boende@example.org"]
        assert "Gångtunneln vid stationen" in received.body
        assert report.language == "sv"

        report = self.triage(report, status=TriageStatus.IN_PROGRESS)
        assert report.seen_at is not None
        assert len(mail.outbox) == 2
        assert "tittat på" in mail.outbox[1].subject

        report = self.triage(
            report,
            outcome=Outcome.DEALT_WITH,
            public_answer="Vi har satt upp nya lampor i tunneln.",
        )
        assert report.status == TriageStatus.DONE
        assert report.email == ""  # handled: the address is gone
        outcome = mail.outbox[2]
        assert "Vi har satt upp nya lampor i tunneln." in outcome.body
        path = urlsplit(re.search(r"https?://\S+/battre/\S+/", outcome.body)[0]).path
        response = self.client.get(path)
        self.assertContains(response, 'type="radio"', count=3)
        response = self.client.post(path, {"answer": FeelsBetter.PARTLY})
        self.assertRedirects(response, self.municipality.get_absolute_url())
        report.refresh_from_db()
        assert report.feels_better == FeelsBetter.PARTLY and report.feels_better_at
        # The link is used: answering again changes nothing.
        self.client.post(path, {"answer": FeelsBetter.NO})
        report.refresh_from_db()
        assert (report.feels_better, report.status) == (FeelsBetter.PARTLY, TriageStatus.DONE)

    def test_no_reopens_the_report(self):
        report = self.triage(self.report(), outcome=Outcome.DEALT_WITH)
        path = reverse("reports:feels_better", args=[feels_better_token(report)])
        self.client.post(path, {"answer": FeelsBetter.NO})
        report.refresh_from_db()
        assert report.feels_better == FeelsBetter.NO
        assert (report.status, report.outcome) == (TriageStatus.IN_PROGRESS, "")
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("admin:reports_unsafeplacereport_changelist"))
        self.assertContains(response, "känns bättre: nej")

    def test_every_outcome_is_told_in_the_reporters_language(self):
        picture_owner = self.municipality
        make_situation_picture(municipalities=[picture_owner])
        cases = [
            (Outcome.COMMITMENT, {"commitment": self.commitment.pk}, "Belysning längs gångvägen"),
            (Outcome.NOT_ACTED_ON, {}, "not to act"),
            (Outcome.DEALT_WITH, {}, "feel better"),
        ]
        for outcome, extra, text in cases:
            report = self.report(language="/en")
            mail.outbox.clear()
            report = self.triage(report, outcome=outcome, **extra)
            (message,) = mail.outbox
            assert text in message.body, (outcome, message.body)
            assert message.subject == "What came of your report"
        # Made a problem of the situation picture, by the admin's action.
        report = self.report(language="/en")
        mail.outbox.clear()
        self.client.force_login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("admin:reports_unsafeplacereport_changelist"),
                {"action": "make_problem", "_selected_action": [report.pk]},
            )
        report.refresh_from_db()
        assert report.outcome == Outcome.PROBLEM and report.problem
        (message,) = mail.outbox
        assert "situation picture" in message.body

    def test_without_an_address_nothing_is_sent_but_the_loop_is_kept(self):
        report = self.report(email="")
        report = self.triage(report, outcome=Outcome.NOT_ACTED_ON)
        assert mail.outbox == []
        assert report.status == TriageStatus.REJECTED and report.seen_at

    def test_bad_feels_better_links_and_answers(self):
        report = self.triage(self.report(), outcome=Outcome.DEALT_WITH)
        for token in ["x", feels_better_token(report)[:-3] + "abc"]:
            assert self.client.get(f"/rapportera/battre/{token}/").status_code == 400
            assert (
                self.client.post(f"/rapportera/battre/{token}/", {"answer": "no"}).status_code
                == 400
            )
        path = reverse("reports:feels_better", args=[feels_better_token(report)])
        assert self.client.post(path, {"answer": "maybe"}).status_code == 400
        report.refresh_from_db()
        assert report.feels_better == ""
        gone = make_unsafe_place_report(self.municipality)
        token = feels_better_token(gone)
        gone.delete()
        assert self.client.get(f"/rapportera/battre/{token}/").status_code == 302

    def test_the_municipality_page_counts_outcomes_without_personal_data(self):
        for outcome in [Outcome.DEALT_WITH, Outcome.DEALT_WITH, Outcome.NOT_ACTED_ON]:
            self.triage(self.report(), outcome=outcome)
        make_unsafe_place_report(make_municipality(), outcome=Outcome.DEALT_WITH)
        response = self.client.get(self.municipality.get_absolute_url())
        self.assertContains(response, "Vad blev det av invånarnas rapporter")
        self.assertContains(response, "<dt>Åtgärdat</dt><dd>2</dd>", html=True)
        self.assertContains(response, "<dt>Inte åtgärdat</dt><dd>1</dd>", html=True)
        self.assertNotContains(response, "Gångtunneln")
        self.assertNotContains(response, "boende@example.org")
        # A reporter's answer shows at once: the cached page is replaced.
        report = UnsafePlaceReport.objects.filter(
            municipality=self.municipality, outcome=Outcome.DEALT_WITH
        ).first()
        self.client.post(
            reverse("reports:feels_better", args=[feels_better_token(report)]),
            {"answer": FeelsBetter.YES},
        )
        self.assertContains(self.client.get(self.municipality.get_absolute_url()), "ja: 1")

    def test_a_new_outcome_reaches_readers_of_the_stored_municipality_page(self):
        self.triage(self.report(), outcome=Outcome.DEALT_WITH)
        page = self.municipality.get_absolute_url()
        self.assertContains(Client().get(page), "<dt>Åtgärdat</dt><dd>1</dd>", html=True)
        self.triage(self.report(), outcome=Outcome.DEALT_WITH)
        # A reader without cookies, as the page cache and the stored page body serve them.
        self.assertContains(Client().get(page), "<dt>Åtgärdat</dt><dd>2</dd>", html=True)


class ErrorReportLoopTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality()
        cls.coordinator = make_member(cls.municipality, Membership.Role.COORDINATOR)

    def test_an_error_report_is_answered_too_without_the_feels_better_question(self):
        page = self.municipality.get_absolute_url()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                "/en/rapportera/fel-pa-sidan/",
                {
                    "page_url": page,
                    "message": "Fel telefonnummer",
                    "email": "a@example.org",
                    "consent": "on",
                },
            )
        report = ErrorReport.objects.get()
        assert (report.language, report.municipality) == ("en", self.municipality)
        (received,) = mail.outbox
        assert page in received.body and received.subject == "Your report has been received"
        self.client.force_login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("admin:reports_errorreport_change", args=[report.pk]),
                {
                    "status": TriageStatus.NEW,
                    "note": "",
                    "outcome": Outcome.DEALT_WITH,
                    "public_answer": "Numret är rättat.",
                },
            )
        assert response.status_code == 302, response.content
        report.refresh_from_db()
        assert (report.status, report.email) == (TriageStatus.DONE, "")
        outcome = mail.outbox[1]
        assert "Numret är rättat." in outcome.body
        assert "/battre/" not in outcome.body


class ReportCommitmentTests(TestCase):
    """The reporter is told the commitment their report was tied to, so it must be one residents
    may read, of a promise of the report's municipality."""

    def test_only_a_published_commitment_of_the_municipality_and_one_when_tied(self):
        municipality = make_municipality()
        published = make_promise(parties=[municipality, make_police_area()])
        draft = make_promise(parties=[municipality], status="draft", published_at=None)
        elsewhere = make_promise()
        report = make_unsafe_place_report(municipality)
        for promise in (draft, elsewhere):
            report.commitment = make_commitment(promise)
            with self.assertRaises(ValidationError) as refused:
                report.full_clean()
            assert "commitment" in refused.exception.message_dict
        report.commitment, report.outcome = None, Outcome.COMMITMENT
        with self.assertRaises(ValidationError) as refused:
            report.full_clean()
        assert "commitment" in refused.exception.message_dict
        report.commitment = make_commitment(published)
        report.full_clean()
