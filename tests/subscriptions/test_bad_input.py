"""Bad input gets a clear page, never a 500, and writes nothing it should not; a forged link
never tells whether an address is subscribed."""

import datetime as dt

import time_machine
from django.core import mail, signing
from django.core.cache import cache
from django.test import override_settings

from outbox.models import Message
from subscriptions import tokens
from subscriptions.models import Subscriber, Subscription
from subscriptions.services import purge_unconfirmed, subscriber_delete

from .helpers import SubscriptionWorld, link_path


class BadInputTests(SubscriptionWorld):
    def setUp(self):
        cache.clear()  # the rate limits

    def test_malformed_and_foreign_addresses_are_refused_with_a_clear_error(self):
        for address in [
            "",
            "inte-en-adress",
            "åsa@exempel.se",
            "a@b",
            "boende@example.org\nBcc: alla@example.org",
            "x" * 300 + "@example.org",
        ]:
            response = self.subscribe(address)
            assert response.status_code == 200, address
            self.assertContains(response, 'aria-invalid="true"')
        assert not Subscriber.objects.exists()
        assert mail.outbox == []

    def test_an_unknown_or_unpublished_target_is_not_found(self):
        draft = self.promise.__class__.objects.get(pk=self.promise.pk)
        draft.status, draft.published_at, draft.slug = "draft", None, "utkast"
        draft.pk = None
        draft.save()
        for query in ["", "?kommun=finns-inte", "?lofte=finns-inte", "?lofte=utkast"]:
            assert self.client.get(f"/prenumerera/{query}").status_code == 404
            assert (
                self.client.post(f"/prenumerera/{query}", {"email": "a@example.org"}).status_code
                == 404
            )
        assert not Subscriber.objects.exists()

    def test_forged_links_are_invalid_and_reveal_nothing(self):
        self.subscribe_and_confirm()
        subscriber = Subscriber.objects.get()
        genuine = tokens.manage_token(subscriber)
        forged_for_existing = signing.dumps([subscriber.pk, "0" * 24], salt="other")
        forged_for_missing = signing.dumps([subscriber.pk + 99, "0" * 24], salt="other")
        tampered = genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB")
        pages = set()
        for prefix in ["hantera", "avsluta", "bekrafta"]:
            for token in [forged_for_existing, forged_for_missing, tampered, "x", "::"]:
                for method in (self.client.get, self.client.post):
                    response = method(f"/prenumerera/{prefix}/{token}/")
                    assert response.status_code == 400
                    pages.add(response.content.split(b"<main")[1].split(b"</main>")[0])
        # One and the same page, whether the address exists or not.
        assert len(pages) == 1
        assert Subscriber.objects.filter(pk=subscriber.pk).exists()

    def test_an_expired_confirmation_link_confirms_nothing(self):
        with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
            self.subscribe()
        path = link_path(mail.outbox[-1].body, "bekrafta")
        with time_machine.travel(dt.datetime(2026, 3, 9, 12, tzinfo=dt.UTC), tick=False):
            response = self.client.post(path)
        assert response.status_code == 410
        assert Subscription.objects.get().confirmed_at is None

    def test_confirming_twice_is_harmless(self):
        path = self.subscribe_and_confirm()
        confirmed_at = Subscription.objects.get().confirmed_at
        response = self.client.post(path)
        assert response.status_code == 200
        assert Subscription.objects.get().confirmed_at == confirmed_at
        assert self.client.get(path).status_code == 200

    def test_unsubscribing_an_address_that_is_gone_says_so_calmly(self):
        self.subscribe_and_confirm()
        token = tokens.manage_token(Subscriber.objects.get())
        Subscriber.objects.all().delete()
        assert self.client.get(f"/prenumerera/avsluta/{token}/").status_code == 200
        assert self.client.post(f"/prenumerera/avsluta/{token}/").status_code == 200
        assert self.client.get(f"/prenumerera/hantera/{token}/").status_code == 200
        # A new subscription of the same address is not reached by the old link.
        self.subscribe_and_confirm()
        assert self.client.post(f"/prenumerera/avsluta/{token}/").status_code == 200
        assert Subscriber.objects.exists()

    def test_a_bad_remove_value_on_the_manage_page_changes_nothing(self):
        self.subscribe_and_confirm()
        path = f"/prenumerera/hantera/{tokens.manage_token(Subscriber.objects.get())}/"
        for value in ["", "abc", "999999", "-1"]:
            assert self.client.post(path, {"remove": value}).status_code == 302
        assert Subscription.objects.count() == 1

    def test_someone_else_cannot_flood_an_inbox_with_confirmations(self):
        for n in range(3):
            self.client.defaults["REMOTE_ADDR"] = f"198.51.100.{n}"
            self.subscribe("offer@example.org")
        self.client.defaults["REMOTE_ADDR"] = "198.51.100.9"
        response = self.subscribe("offer@example.org")
        # The same answer as ever, but no fourth e-mail today.
        self.assertRedirects(response, "/prenumerera/skickat/")
        assert len(mail.outbox) == 3

    @override_settings(SUBSCRIPTIONS_RATE_LIMIT=(2, 600))
    def test_one_client_is_limited(self):
        for n in range(2):
            assert self.subscribe(f"person{n}@example.org").status_code == 302
        response = self.subscribe("person9@example.org")
        assert response.status_code == 429
        assert not Subscriber.objects.filter(email="person9@example.org").exists()

    def test_unconfirmed_subscriptions_are_deleted_after_a_week(self):
        self.subscribe_and_confirm("kvar@example.org")
        with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
            self.subscribe("glomsk@example.org")
        assert purge_unconfirmed(now=dt.datetime(2026, 3, 5, tzinfo=dt.UTC)) == 0
        assert purge_unconfirmed(now=dt.datetime(2026, 3, 9, tzinfo=dt.UTC)) == 1
        assert list(Subscriber.objects.values_list("email", flat=True)) == ["kvar@example.org"]


class UnsubscribingTests(SubscriptionWorld):
    def test_a_digest_still_waiting_is_not_sent_after_unsubscribing(self):
        self.subscribe_and_confirm()
        subscriber = Subscriber.objects.get()
        waiting = Message.objects.create(
            key=f"digest:{subscriber.pk}:2026-12-01", to=subscriber.email, subject="x", body="y"
        )
        other = Message.objects.create(key="report:1:seen", to=subscriber.email, subject="x")
        subscriber_delete(subscriber=subscriber)
        assert not Message.objects.filter(pk=waiting.pk).exists()
        assert Message.objects.filter(pk=other.pk).exists()  # a reply to their report stays
