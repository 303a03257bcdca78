from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promises.models import Membership, Party, PartyScopedQuerySet

MESSAGE_MAX_LENGTH = 2000


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
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The address is only there for a reply: once the report is handled, it goes.
        if self.status in (TriageStatus.DONE, TriageStatus.REJECTED):
            self.email = ""
        super().save(*args, **kwargs)


def report_constraints(prefix):
    return [
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

    history = HistoricalRecords(excluded_fields=["email"])
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("unsafe place report")
        verbose_name_plural = _("unsafe place reports")
        ordering = ["-created_at"]
        constraints = report_constraints("unsafeplacereport")
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"{self.municipality}: {self.place}"

    def get_parties(self):
        return [self.municipality]
