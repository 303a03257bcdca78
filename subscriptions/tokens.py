"""Signed links in subscribers' e-mails: the confirmation link (expires) and the link to
manage or end a subscription (does not). A token names a row and a keyed hash of the address,
so the address is not in the link, and a token for an address that was deleted and subscribed
anew no longer works. Anything not signed by us is simply an invalid link: whether an address
is subscribed is never told to someone without a genuine link."""

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

CONFIRM_SALT = "subscriptions.confirm"
MANAGE_SALT = "subscriptions.manage"


class InvalidLink(Exception):
    """Not a link we made, or one for an address that is gone."""


class ExpiredLink(Exception):
    """A confirmation link of ours, too old to use."""


def _address_hash(email):
    return salted_hmac("subscriptions.address", email, algorithm="sha256").hexdigest()[:24]


def confirm_token(subscription):
    return signing.dumps(
        [subscription.pk, _address_hash(subscription.subscriber.email)], salt=CONFIRM_SALT
    )


def manage_token(subscriber):
    return signing.dumps([subscriber.pk, _address_hash(subscriber.email)], salt=MANAGE_SALT)


def _load(token, salt, max_age=None):
    try:
        pk, address_hash = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ExpiredLink from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidLink from error
    if not isinstance(pk, int) or not isinstance(address_hash, str):
        raise InvalidLink
    return pk, address_hash


def _matches(email, address_hash):
    return constant_time_compare(_address_hash(email), address_hash)


def subscription_from(token):
    """The Subscription a confirmation token names; InvalidLink or ExpiredLink."""
    from .models import Subscription

    pk, address_hash = _load(token, CONFIRM_SALT, max_age=settings.SUBSCRIPTIONS_CONFIRM_SECONDS)
    subscription = Subscription.objects.select_related("subscriber").filter(pk=pk).first()
    if subscription is None or not _matches(subscription.subscriber.email, address_hash):
        raise InvalidLink
    return subscription


def subscriber_from(token):
    """The Subscriber a manage token names, or None if it was deleted (unsubscribed); a token
    we did not sign is InvalidLink."""
    from .models import Subscriber

    pk, address_hash = _load(token, MANAGE_SALT)
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not _matches(subscriber.email, address_hash):
        return None
    return subscriber
