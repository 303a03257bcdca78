"""Residents who asked for an e-mail when a municipality's or a promise's follow-up changes.

Only what the privacy page names is stored: the address, the language the subscription was
made in, what it follows, when each was asked for and confirmed; and, to send each piece of
news once and at most one message a day, the last news sent and the day of the last message.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from promises.models import Party, Promise


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    last_update = models.PositiveBigIntegerField(
        _("latest news sent"), default=0, help_text=_("So that no news is sent twice.")
    )
    last_sent_on = models.DateField(
        _("last message sent on"),
        null=True,
        blank=True,
        help_text=_("At most one message a day: later news waits for the next day's."),
    )

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["email"]

    def __str__(self):
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.exclude(confirmed_at=None)

    def counts(self, parties):
        """Confirmed subscribers of the parties' municipalities and of their promises:
        ([{"municipality__name", "subscribers"}], [{"promise__title", "subscribers"}]), with no
        address in them."""
        confirmed = self.confirmed()
        towns = (
            confirmed.filter(municipality__in=parties)
            .values("municipality__name")
            .annotate(subscribers=Count("subscriber", distinct=True))
            .order_by("municipality__name")
        )
        promises = (
            confirmed.filter(promise__parties__in=parties)
            .values("promise__title")
            .annotate(subscribers=Count("subscriber", distinct=True))
            .order_by("promise__title")
        )
        return list(towns), list(promises)


class Subscription(models.Model):
    """One thing an address follows: a municipality (its promises and their follow-up) or a
    single promise. Confirmed by the link in the confirmation e-mail (double opt-in)."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    municipality = models.ForeignKey(
        Party,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        limit_choices_to={"kind": Party.Kind.MUNICIPALITY},
    )
    promise = models.ForeignKey(
        Promise,
        verbose_name=_("promise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    requested_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["subscriber", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) ^ Q(promise__isnull=True),
                name="subscription_follows_one_thing",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "municipality"],
                condition=Q(municipality__isnull=False),
                name="subscription_unique_municipality",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "promise"],
                condition=Q(promise__isnull=False),
                name="subscription_unique_promise",
            ),
        ]

    def __str__(self):
        return str(self.target)

    @property
    def target(self):
        return self.municipality or self.promise


class UpdateKind(models.TextChoices):
    PROMISE_PUBLISHED = "promise_published", _("a promise was published")
    ROUND_PUBLISHED = "round_published", _("a follow-up round was published")
    PROMISE_REVISED = "promise_revised", _("a revision of a promise was published")
    PROMISE_CLOSED = "promise_closed", _("a promise's closing assessment was published")


class Update(models.Model):
    """A piece of news subscribers are told of: something published about a promise."""

    Kind = UpdateKind

    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey(
        "followup.FollowUpRound",
        verbose_name=_("follow-up round"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("news for subscribers")
        verbose_name_plural = _("news for subscribers")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=UpdateKind.values), name="update_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.promise}"
