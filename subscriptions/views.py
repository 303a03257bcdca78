"""Subscribing without an account. None of these pages is cached (never_cache): the subscribe
and manage forms carry a CSRF token, and the others speak of one subscriber. The public
municipality and promise pages only link here, so they stay the same for everyone."""

import hashlib
import logging

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from config.views import service_unavailable
from promises.models import Party, Promise
from reports.ratelimit import RateLimitUnavailable, client_ip, over_limit

from . import services, tokens
from .forms import SubscribeForm

logger = logging.getLogger(__name__)


def _target(request):
    """What the subscribe page is about: ?kommun=<slug> or ?lofte=<slug> (published only)."""
    promise_slug, municipality_slug = request.GET.get("lofte"), request.GET.get("kommun")
    if promise_slug:
        return None, get_object_or_404(Promise.objects.published(), slug=promise_slug)
    if municipality_slug:
        return get_object_or_404(Party.objects.municipalities(), slug=municipality_slug), None
    raise Http404


def _notice(request, title, text, status=200, link=None):
    return render(
        request,
        "subscriptions/notice.html",
        {"title": title, "text": text, "link": link, "personal_link": True},
        status=status,
    )


def _invalid_link(request):
    return _notice(
        request,
        _("The link does not work"),
        _(
            "This link is not valid. Copy the whole address from the e-mail, or subscribe "
            "again from the page of the municipality or the promise."
        ),
        status=400,
    )


def _over_limits(request, email):
    """(client over its limit, address over its limit); RateLimitUnavailable if uncountable."""
    address = hashlib.sha256(email.encode()).hexdigest()
    return (
        over_limit(f"subscribe:{client_ip(request)}", *settings.SUBSCRIPTIONS_RATE_LIMIT),
        over_limit(f"subscribe-address:{address}", *settings.SUBSCRIPTIONS_ADDRESS_RATE_LIMIT),
    )


@never_cache
def subscribe(request):
    municipality, promise = _target(request)
    form = SubscribeForm(request.POST or None)
    context = {"form": form, "target": municipality or promise, "promise": promise}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            client_limited, address_limited = _over_limits(request, email)
        except RateLimitUnavailable:
            logger.warning("Rate-limit cache unreachable; a subscription was turned away")
            return service_unavailable(
                request, _("Subscriptions cannot be taken right now. Please try again later.")
            )
        if client_limited:
            form.add_error(
                None,
                _("You have asked several times in a short time. Please wait a few minutes."),
            )
            return render(request, "subscriptions/subscribe.html", context, status=429)
        # An address asked for too often gets no more e-mail for a while, and a bot nothing;
        # both are answered like anyone else, so the answer tells nothing about the address.
        if not (address_limited or form.is_spam):
            services.subscription_request(
                email=email, language=get_language(), municipality=municipality, promise=promise
            )
        return redirect("subscriptions:sent")
    return render(request, "subscriptions/subscribe.html", context)


def sent(request):
    return _notice(
        request,
        _("Check your e-mail"),
        _(
            "We have sent a link to the address you gave. Open it within %(days)d days to "
            "confirm the subscription; until then you get nothing else from us, and if you do "
            "not confirm, the address is deleted."
        )
        % {"days": settings.SUBSCRIPTIONS_CONFIRM_SECONDS // 86400},
    )


@never_cache
def confirm(request, token):
    """The link opens a page with a button: a mail program that opens links to check them
    must not confirm on the resident's behalf."""
    try:
        subscription = tokens.subscription_from(token)
    except tokens.ExpiredLink:
        return _notice(
            request,
            _("The link has expired"),
            _(
                "The confirmation link is only valid for %(days)d days. Subscribe again from "
                "the page of the municipality or the promise."
            )
            % {"days": settings.SUBSCRIPTIONS_CONFIRM_SECONDS // 86400},
            status=410,
        )
    except tokens.InvalidLink:
        return _invalid_link(request)
    if request.method == "POST" or subscription.confirmed_at:
        confirmed_now = request.method == "POST" and services.subscription_confirm(
            subscription=subscription, language=get_language()
        )
        manage_url = reverse(
            "subscriptions:manage", args=[tokens.manage_token(subscription.subscriber)]
        )
        return _notice(
            request,
            _("The subscription is confirmed") if confirmed_now else _("Already confirmed"),
            _(
                "You will get an e-mail when %(target)s is followed up, at most one a day. "
                "Every message has a link to end the subscription."
            )
            % {"target": subscription.target},
            link=(manage_url, _("Manage your subscriptions")),
        )
    return render(
        request,
        "subscriptions/confirm.html",
        {"subscription": subscription, "personal_link": True},
    )


@never_cache
def manage(request, token):
    try:
        subscriber = tokens.subscriber_from(token)
    except tokens.InvalidLink:
        return _invalid_link(request)
    if subscriber is None:
        return _unsubscribed(request)
    if request.method == "POST":
        try:
            subscription_id = int(request.POST.get("remove", ""))
        except ValueError:
            subscription_id = None
        if subscription_id is not None:
            services.subscription_remove(subscriber=subscriber, subscription_id=subscription_id)
        return redirect(request.path)
    subscriptions = subscriber.subscriptions.select_related("municipality", "promise")
    return render(
        request,
        "subscriptions/manage.html",
        {
            "subscriber": subscriber,
            "subscriptions": subscriptions,
            "token": token,
            "personal_link": True,
        },
    )


def _unsubscribed(request):
    return _notice(
        request,
        _("You are unsubscribed"),
        _("No more e-mail will be sent to this address. We have deleted it."),
    )


# RFC 8058: mail programs unsubscribe in one click by POSTing to the List-Unsubscribe address,
# with no cookie and no token of ours but the signed link itself; so no CSRF check here. It
# only ever deletes, and deleting twice does nothing more.
@csrf_exempt
@never_cache
def unsubscribe(request, token):
    try:
        subscriber = tokens.subscriber_from(token)
    except tokens.InvalidLink:
        return _invalid_link(request)
    if request.method == "POST":
        services.subscriber_delete(subscriber=subscriber)
        return _unsubscribed(request)
    if subscriber is None:
        return _unsubscribed(request)
    return render(
        request,
        "subscriptions/unsubscribe.html",
        {"subscriber": subscriber, "personal_link": True},
    )
