from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promises.fulltext import SearchVectorIndex, search_vector_field
from promises.models import (
    Commitment,
    CommitmentStatusChoice,
    Membership,
    PartyScopedQuerySet,
    Promise,
    PromiseChildQuerySet,
)

from . import schedule


def _refresh_latest_status(commitments):
    # Imported here: followup.latest_status builds on this module's models.
    from .latest_status import refresh_latest_status

    refresh_latest_status(commitments)


class FollowUpRoundQuerySet(PromiseChildQuerySet):
    def published(self):
        """The one rule for which rounds residents may see."""
        return self.filter(
            state=FollowUpRound.State.PUBLISHED,
            published_at__lte=timezone.now(),
            promise__in=Promise.objects.published(),
        )

    def before(self, year, quarter):
        """Rounds of quarters before the given one, the latest first."""
        return self.filter(Q(year__lt=year) | Q(year=year, quarter__lt=quarter)).order_by(
            "-year", "-quarter"
        )

    def update(self, **kwargs):
        """The UPDATE, and the latest published status stored on the rounds' commitments
        (followup.latest_status) if it may change that."""
        if kwargs.keys().isdisjoint(
            {"state", "published_at", "year", "quarter", "promise", "promise_id"}
        ):
            return super().update(**kwargs)
        rounds = list(self.order_by().values_list("pk", flat=True))
        updated = super().update(**kwargs)
        _refresh_latest_status(Commitment.all_objects.filter(statuses__round__in=rounds))
        return updated


class RoundState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")
    RETURNED = "returned", _("returned")


class FollowUpRound(models.Model):
    """A promise's follow-up for one quarter, reviewed by the police and published to residents."""

    State = RoundState

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("promise"),
        on_delete=models.CASCADE,
        related_name="followup_rounds",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, q) for q in range(1, 5)])
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    forum = models.CharField(
        _("forum"),
        max_length=200,
        blank=True,
        help_text=_("Where the follow-up was done, e.g. the local crime-prevention council."),
    )
    summary = models.TextField(
        _("summary for residents"),
        blank=True,
        help_text=_("What residents should know about this quarter; published with the round."),
    )
    search_vector = search_vector_field({"summary": "B"})
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.DRAFT, db_index=True
    )
    reviewer_comment = models.TextField(
        _("reviewer's comment"),
        blank=True,
        help_text=_("Why the police returned the round; not shown to residents."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_vector"])
    objects = FollowUpRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")
        ordering = ["promise", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "year", "quarter"], name="followupround_unique_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="followupround_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(state__in=RoundState.values),
                name="followupround_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state=RoundState.PUBLISHED) | Q(published_at__isnull=False),
                name="followupround_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "published_at"]),
            SearchVectorIndex(fields=["search_vector"], name="followupround_search_vector"),
        ]

    def __str__(self):
        return f"{self.promise} – {self.quarter_label}"

    def get_absolute_url(self):
        return reverse(
            "followup:round_detail",
            kwargs={"slug": self.promise.slug, "year": self.year, "quarter": self.quarter},
        )

    def clean(self):
        if not (self.promise_id and self.year and self.quarter in range(1, 5)):
            return  # the field errors say what is missing
        # A round follows up what residents were promised: a revision's working copy is
        # discarded when it is published, and a draft may never be.
        if self._state.adding and (
            self.promise.is_revision or self.promise.status != self.promise.Status.PUBLISHED
        ):
            raise ValidationError(
                {"promise": _("Follow-up rounds are kept for published promises only.")}
            )
        start, end = self.period
        if end < self.promise.valid_from or start > self.promise.valid_until:
            raise ValidationError(
                {
                    "quarter": _(
                        "%(quarter)s lies outside the promise's period (%(start)s – %(end)s)."
                    )
                    % {
                        "quarter": self.quarter_label,
                        "start": self.promise.valid_from,
                        "end": self.promise.valid_until,
                    }
                }
            )

    @property
    def quarter_label(self):
        return schedule.quarter_label(self.year, self.quarter)

    @property
    def period(self):
        return schedule.quarter_bounds(self.year, self.quarter)

    @property
    def is_overdue(self):
        return schedule.is_overdue(self.year, self.quarter, self.state)

    @property
    def is_editable(self):
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    def commitments_without_status(self):
        """The promise's commitments the round has no status row for: added since it began."""
        return self.promise.commitments.exclude(statuses__round=self)

    # For promises.permissions: who may see and change the round on its admin page.

    @property
    def is_locked(self):
        """Approved and published rounds are the record residents read: nobody edits them."""
        return self.state in schedule.APPROVED_STATES

    def get_parties(self):
        return self.promise.parties.all()

    def get_editors(self):
        """The promise's coordinators write the round until they submit it; the police of its
        police area write their commitments' statuses on it until they have reviewed it."""
        police = {Membership.Role.POLICE: self.promise.parties.police_areas()}
        if self.state == self.State.SUBMITTED:
            return police
        return {Membership.Role.COORDINATOR: self.promise.parties.all(), **police}


class CommitmentStatusQuerySet(PartyScopedQuerySet):
    party_lookups = ("round__promise__parties",)

    def update(self, **kwargs):
        """The UPDATE, and the latest published status stored on the rows' commitments
        (followup.latest_status) if it may change that."""
        if kwargs.keys().isdisjoint({"status", "round", "round_id"}):
            return super().update(**kwargs)
        commitments = set(self.order_by().values_list("commitment_id", flat=True))
        updated = super().update(**kwargs)
        _refresh_latest_status(commitments)
        return updated

    def bulk_create(self, objs, *args, **kwargs):
        """The INSERT, and the latest published status stored on the rows' commitments
        (followup.latest_status): a row of a published round may change it."""
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        _refresh_latest_status({obj.commitment_id for obj in objs})
        return created

    def with_previous(self):
        """Annotate each row with the status and progress of the same commitment one round
        earlier, so that a whole round can show what changed in one query."""
        earlier = CommitmentStatus.objects.filter(
            commitment=OuterRef("commitment"),
        ).filter(
            Q(round__year__lt=OuterRef("round__year"))
            | Q(round__year=OuterRef("round__year"), round__quarter__lt=OuterRef("round__quarter"))
        )
        earlier = earlier.order_by("-round__year", "-round__quarter")
        return self.annotate(
            previous_status=Subquery(earlier.values("status")[:1]),
            previous_progress=Subquery(earlier.values("progress")[:1]),
        )

    def latest_published(self, promise):
        """Each commitment's status in the latest published round that covers it."""
        rounds = FollowUpRound.objects.published().filter(promise=promise)
        latest = (
            CommitmentStatus.objects.filter(commitment=OuterRef("commitment"), round__in=rounds)
            .order_by("-round__year", "-round__quarter")
            .values("pk")[:1]
        )
        # A commitment a revision withdrew keeps its rounds, but has no current status.
        return self.filter(
            commitment__promise=promise, commitment__withdrawn_at__isnull=True, pk=Subquery(latest)
        )

    def in_focus_area_order(self):
        return self.order_by(
            "commitment__focus_area__order",
            "commitment__focus_area",
            "commitment__order",
            "commitment",
        )


class CommitmentStatus(models.Model):
    """How one commitment stood in one follow-up round."""

    Status = CommitmentStatusChoice

    round = models.ForeignKey(
        FollowUpRound,
        verbose_name=_("follow-up round"),
        on_delete=models.CASCADE,
        related_name="statuses",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        # A commitment that has been followed up is on record: mark it cancelled instead.
        # Deleting its whole promise still takes the rounds, and with them these rows.
        on_delete=models.RESTRICT,
        related_name="statuses",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("0–100, if the commitment can be measured that way."),
    )
    done_this_quarter = models.TextField(_("done this quarter"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    evidence_links = models.TextField(
        _("links to evidence"), blank=True, help_text=_("One web address per line.")
    )

    history = HistoricalRecords()
    objects = CommitmentStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment status")
        verbose_name_plural = _("commitment statuses")
        ordering = ["round", "commitment__order", "commitment"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "commitment"], name="commitmentstatus_unique_per_round"
            ),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__gte=0, progress__lte=100),
                name="commitmentstatus_progress_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CommitmentStatusChoice.values),
                name="commitmentstatus_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.commitment} – {self.get_status_display()}"

    def clean(self):
        if (
            self.round_id
            and self.commitment_id
            and self.round.promise_id != self.commitment.promise_id
        ):
            raise ValidationError(
                {"commitment": _("The commitment must belong to the round's promise.")}
            )
        validate = URLValidator(schemes=["http", "https"])
        for url in self.evidence_urls:
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(
                    {"evidence_links": _("%(url)s is not a web address.") % {"url": url}}
                ) from None

    @property
    def is_locked(self):
        return self.round.is_locked

    def get_parties(self):
        return self.round.get_parties()

    def get_editors(self):
        """Those who may edit the commitment (its promise's coordinators, the police of its
        owning police area), except that coordinators wait while the police review."""
        editors = self.commitment.get_editors()
        if self.round.state == FollowUpRound.State.SUBMITTED:
            del editors[Membership.Role.COORDINATOR]
        return editors

    @property
    def symbol(self):
        return self.Status(self.status).symbol

    @property
    def evidence_urls(self):
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("due soon")
    OVERDUE = "overdue", _("overdue")
    AWAITING_REVIEW = "awaiting_review", _("awaiting review")


class FollowUpReminder(models.Model):
    """A reminder e-mail sent for one quarter of a promise, so each is sent once per day."""

    Kind = ReminderKind

    promise = models.ForeignKey(
        Promise, verbose_name=_("promise"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    sent_on = models.DateField(_("sent on"))
    recipients = models.TextField(_("recipients"), blank=True)

    objects = PromiseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up reminder")
        verbose_name_plural = _("follow-up reminders")
        ordering = ["-sent_on", "promise", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "year", "quarter", "kind", "sent_on"],
                name="followupreminder_once_a_day",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values),
                name="followupreminder_kind_valid",
            ),
        ]

    def __str__(self):
        label = schedule.quarter_label(self.year, self.quarter)
        return f"{self.promise} {label}: {self.get_kind_display()}"

    def get_parties(self):
        return self.promise.parties.all()


class ReviewOverview(FollowUpRound):
    """No data of its own: gives the police's follow-up overview a place on the admin index."""

    class Meta:
        proxy = True
        verbose_name = _("follow-up overview")
        verbose_name_plural = _("follow-up overview")
