"""Writes of subscriptions: asking (double opt-in), confirming, ending, and deleting what was
never confirmed."""

import datetime as dt
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from outbox.delivery import Draft, queue
from outbox.models import Message

from . import tokens
from .models import Subscriber, Subscription, Update


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_headers(subscriber):
    """RFC 8058 one-click unsubscription: a mail program may POST to the address itself."""
    with translation.override(subscriber.language):
        url = absolute(reverse("subscriptions:unsubscribe", args=[tokens.manage_token(subscriber)]))
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@transaction.atomic
def subscription_request(*, email, language, municipality=None, promise=None):
    """Record the wish to follow `municipality` or `promise` and e-mail a confirmation link.

    The caller answers the same whatever happened here, so that nobody learns whether an
    address is subscribed. A confirmed subscription gets no new e-mail."""
    subscriber, _created = Subscriber.objects.get_or_create(
        email=email, defaults={"language": language}
    )
    subscription, _created = Subscription.objects.get_or_create(
        subscriber=subscriber, municipality=municipality, promise=promise
    )
    if subscription.confirmed_at:
        return subscription
    with translation.override(language):
        link = absolute(reverse("subscriptions:confirm", args=[tokens.confirm_token(subscription)]))
        body = render_to_string(
            "subscriptions/email/confirm.txt",
            {
                "target": subscription.target,
                "link": link,
                "days": settings.SUBSCRIPTIONS_CONFIRM_SECONDS // 86400,
            },
        )
        subject = translation.gettext("Confirm your subscription on Löftesportalen")
    # A new key each time: asking again sends the link again (within the rate limit).
    queue([Draft(f"confirm:{subscription.pk}:{time.time_ns()}", email, subject, body)])
    return subscription


@transaction.atomic
def subscription_confirm(*, subscription, language):
    """Confirm it; True if it was confirmed just now, False if it was already."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.confirmed_at:
        return False
    subscription.confirmed_at = timezone.now()
    subscription.save(update_fields=["confirmed_at"])
    subscriber = subscription.subscriber
    # News published before the confirmation is not sent; messages come in this language.
    latest = Update.objects.aggregate(latest=Max("pk"))["latest"] or 0
    subscriber.last_update = max(subscriber.last_update, latest)
    subscriber.language = language
    subscriber.save(update_fields=["last_update", "language"])
    return True


@transaction.atomic
def subscription_remove(*, subscriber, subscription_id):
    """Stop following one thing; the address goes with its last subscription."""
    subscriber.subscriptions.filter(pk=subscription_id).delete()
    if not subscriber.subscriptions.exists():
        subscriber.delete()


def subscriber_delete(*, subscriber):
    """Unsubscribe from everything: the address and all it followed are deleted."""
    if subscriber is not None:
        Subscriber.objects.filter(pk=subscriber.pk).delete()
        # Nor is a digest still waiting to be sent to the address.
        Message.objects.unsent().filter(
            to=subscriber.email, key__startswith=f"digest:{subscriber.pk}:"
        ).delete()


@transaction.atomic
def purge_unconfirmed(now=None):
    """Delete what was not confirmed in time, and addresses left with nothing. Returns how many
    subscriptions were deleted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.SUBSCRIPTIONS_CONFIRM_SECONDS)
    deleted, _ = Subscription.objects.filter(confirmed_at=None, requested_at__lt=cutoff).delete()
    Subscriber.objects.filter(subscriptions=None, created_at__lt=cutoff).delete()
    return deleted
