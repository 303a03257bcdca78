from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promises.models import Membership, Party, PartyScopedQuerySet, Promise

MESSAGE_MAX_LENGTH = 2000


class Outcome(models.TextChoices):
    """What came of a report, as the reporter is told and the municipality's page counts it."""

    PROBLEM = "problem", _("made a problem in the situation picture")
    COMMITMENT = "commitment", _("tied to a commitment")
    DEALT_WITH = "dealt_with", _("dealt with")
    NOT_ACTED_ON = "not_acted_on", _("not acted on")


class FeelsBetter(models.TextChoices):
    YES = "yes", _("yes")
    PARTLY = "partly", _("partly")
    NO = "no", _("no")


class TriageStatus(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    REJECTED = "rejected", _("rejected")


def coordinated_municipalities(user):
    """The municipalities the user coordinates: residents' reports may carry personal data,
    so viewers and the police of a municipality do not see them (and their role groups have
    no permissions on reports)."""
    return Party.objects.municipalities().for_user(user, Membership.Role.COORDINATOR)


class ReportQuerySet(PartyScopedQuerySet):
    party_lookups = ("municipality",)

    def user_parties(self, user):
        return coordinated_municipalities(user)


class ErrorReportQuerySet(ReportQuerySet):
    """A report about a promise page reaches the coordinators of every municipality of the
    promise; a report about no particular municipality reaches superusers only."""

    party_lookups = ("municipality", "promise__parties")


class Report(models.Model):
    """What every report from a resident has: an optional address for a reply, and a triage
    status for the coordinators."""

    email = models.EmailField(
        _("e-mail for a reply"),
        blank=True,
        help_text=_("Optional. Only used to reply to this report."),
    )
    consent = models.BooleanField(
        _("consent to store the e-mail address"),
        default=False,
        help_text=_("Needed when an e-mail address is given."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TriageStatus, default=TriageStatus.NEW, db_index=True
    )
    note = models.TextField(
        _("internal note"), blank=True, help_text=_("Only seen by the coordinators.")
    )
    # The report loop: the reporter (if they gave an address) is told when the report is
    # received, when the municipality has looked at it and what came of it.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    seen_at = models.DateTimeField(_("looked at"), null=True, blank=True)
    outcome = models.CharField(
        _("what came of it"),
        max_length=20,
        choices=Outcome,
        blank=True,
        help_text=_("The reporter is told by e-mail, and the municipality's page counts it."),
    )
    public_answer = models.TextField(
        _("answer to the reporter"),
        max_length=600,
        blank=True,
        help_text=_("A few sentences sent with what came of it. No names or personal details."),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The address is only there for a reply: once the report is handled, it goes.
        if self.status in (TriageStatus.DONE, TriageStatus.REJECTED):
            self.email = ""
        super().save(*args, **kwargs)

    @property
    def loop_state(self):
        """Where the report loop stands, for the coordinators: received, looked at, its
        outcome and, for a place, the reporter's answer."""
        steps = [str(_("received"))]
        if self.seen_at:
            steps.append(str(_("looked at")))
        if self.outcome:
            steps.append(self.get_outcome_display())
        if getattr(self, "feels_better", ""):
            steps.append(
                str(_("feels better: %(answer)s") % {"answer": self.get_feels_better_display()})
            )
        return " → ".join(steps)


def report_constraints(prefix):
    return [
        models.CheckConstraint(
            condition=Q(outcome="") | Q(outcome__in=Outcome.values), name=f"{prefix}_outcome_valid"
        ),
        models.CheckConstraint(
            condition=Q(status__in=TriageStatus.values), name=f"{prefix}_status_valid"
        ),
        models.CheckConstraint(
            condition=Q(email="") | Q(consent=True), name=f"{prefix}_email_needs_consent"
        ),
    ]


class ErrorReport(Report):
    """ "Report an error on this page": a resident points out a mistake on a public page."""

    page_url = models.CharField(_("page"), max_length=500)
    message = models.TextField(_("what is wrong"), max_length=MESSAGE_MAX_LENGTH)
    municipality = models.ForeignKey(
        Party,
        verbose_name=_("municipality"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="error_reports",
        limit_choices_to={"kind": Party.Kind.MUNICIPALITY},
        help_text=_("Set when the page belongs to a municipality."),
    )
    promise = models.ForeignKey(
        "promises.Promise",
        verbose_name=_("promise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="error_reports",
        help_text=_("Set when the page is a promise's page."),
    )

    # The history records who triaged what; the resident's address stays out of it, so that
    # deleting a report erases the address.
    history = HistoricalRecords(excluded_fields=["email"])
    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")
        ordering = ["-created_at"]
        constraints = report_constraints("errorreport")
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"{self.page_url}: {self.message[:60]}"

    def get_parties(self):
        """The municipalities whose coordinators triage it, as ErrorReportQuerySet's
        party_lookups reach them."""
        parties = [self.municipality] if self.municipality_id else []
        if self.promise_id:
            parties += self.promise.parties.municipalities()
        return parties


class UnsafePlaceReport(Report):
    """ "Report an unsafe place": input to the municipality's situation picture."""

    municipality = models.ForeignKey(
        Party,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="unsafe_place_reports",
        limit_choices_to={"kind": Party.Kind.MUNICIPALITY},
    )
    place = models.CharField(
        _("place"), max_length=200, help_text=_("For example a street, a square or a park.")
    )
    description = models.TextField(_("what makes it feel unsafe"), max_length=MESSAGE_MAX_LENGTH)
    when = models.CharField(
        _("when"),
        max_length=200,
        blank=True,
        help_text=_("For example: weekday evenings, or a date."),
    )
    problem = models.ForeignKey(
        "situation.Problem",
        verbose_name=_("problem in the situation picture"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unsafe_place_reports",
        help_text=_("The problem the coordinators made of this report."),
    )
    commitment = models.ForeignKey(
        "promises.Commitment",
        verbose_name=_("commitment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unsafe_place_reports",
        help_text=_("The commitment of a promise that deals with this place, if any."),
    )
    feels_better = models.CharField(
        _("does the place feel better?"),
        max_length=10,
        choices=FeelsBetter,
        blank=True,
        help_text=_("The reporter's answer after it was dealt with; a no reopens the report."),
    )
    feels_better_at = models.DateTimeField(_("answered"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["email"])
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("unsafe place report")
        verbose_name_plural = _("unsafe place reports")
        ordering = ["-created_at"]
        constraints = [
            *report_constraints("unsafeplacereport"),
            models.CheckConstraint(
                condition=Q(feels_better="") | Q(feels_better__in=FeelsBetter.values),
                name="unsafeplacereport_feels_better_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"{self.municipality}: {self.place}"

    def clean(self):
        super().clean()
        # The reporter is told the commitment's text: it must be one residents may read, of a
        # promise of the report's municipality.
        if self.commitment_id and not (
            Promise.objects.published()
            .filter(pk=self.commitment.promise_id, parties=self.municipality_id)
            .exists()
            and self.commitment.withdrawn_at is None
        ):
            raise ValidationError(
                {
                    "commitment": _(
                        "Choose a commitment of a published promise of the report's municipality."
                    )
                }
            )
        if self.outcome == Outcome.COMMITMENT and not self.commitment_id:
            raise ValidationError({"commitment": _("Say which commitment the report was tied to.")})

    def get_parties(self):
        return [self.municipality]
