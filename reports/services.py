"""Writes spanning a report and the situation picture, and the report loop: what the reporter
is told (through the outbox, in the background) and their answer whether a place feels better."""

import time

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caching.fragments import scope, scopes_changed
from caching.pages import content_changed
from outbox.delivery import Draft, queue
from promises import permissions
from situation.models import Place, Problem, SituationPicture

from .models import FeelsBetter, Outcome, TriageStatus, UnsafePlaceReport


@transaction.atomic
def problem_from_report(*, report, user):
    """Make an internal problem of the municipality's current situation picture from a
    resident's unsafe-place report, and mark the report in progress."""
    if report.problem_id:
        raise ValidationError(
            _("It is already a problem of the situation picture: %(problem)s.")
            % {"problem": report.problem}
        )
    picture = SituationPicture.objects.filter(municipalities=report.municipality).current().first()
    if picture is None:
        raise ValidationError(
            _(
                "%(municipality)s has no situation picture valid today; create one first, "
                "then turn the report into a problem."
            )
            % {"municipality": report.municipality}
        )
    description = report.description
    if report.when:
        description += "\n\n" + _("When: %(when)s") % {"when": report.when}
    problem = Problem(
        picture=picture,
        title=report.place,
        description=description,
        category=Problem.Category.OTHER,
        source=Problem.Source.DIALOGUE,
        observed_on=timezone.localdate(report.created_at),
    )
    if not (user.has_perm("situation.add_problem") and permissions.can_change(user, problem)):
        raise PermissionDenied(_("Only the municipality's coordinators can add problems."))
    problem.full_clean()
    problem.save()
    place = Place.objects.filter(municipality=report.municipality, name__iexact=report.place)
    problem.places.add(*place[:1])
    report.problem, report.outcome = problem, Outcome.PROBLEM
    report_outcome(report=report)
    report.full_clean()
    report.save()
    return problem


# --- The report loop: the reporter hears back --------------------------------------------------

FEELS_BETTER_SALT = "reports.feels-better"
# How long the "does the place feel better?" link works.
FEELS_BETTER_MAX_AGE = 90 * 86400
# Each outcome leaves the report in this triage state.
OUTCOME_STATUS = {
    Outcome.PROBLEM: TriageStatus.IN_PROGRESS,
    Outcome.COMMITMENT: TriageStatus.IN_PROGRESS,
    Outcome.DEALT_WITH: TriageStatus.DONE,
    Outcome.NOT_ACTED_ON: TriageStatus.REJECTED,
}


def _key(report, step):
    return f"report:{report._meta.model_name}:{report.pk}:{step}"


def _tell(report, step, subject, template_name, **context):
    """Queue an e-mail to the reporter in the language of the report, if they asked for one."""
    if not (report.email and report.consent):
        return
    with translation.override(report.language):
        body = render_to_string(template_name, {"report": report, **context})
        queue([Draft(_key(report, step), report.email, str(subject), body)])


def report_received(*, report):
    """Tell the reporter the report has arrived."""
    with translation.override(report.language):
        _tell(
            report,
            "received",
            _("Your report has been received"),
            "reports/email/received.txt",
        )


def feels_better_token(report):
    return signing.dumps(report.pk, salt=FEELS_BETTER_SALT)


def report_from_feels_better_token(token):
    """The UnsafePlaceReport a feels-better link names; BadSignature (SignatureExpired
    included) for a link we did not make or that is too old, DoesNotExist if it is gone."""
    pk = signing.loads(token, salt=FEELS_BETTER_SALT, max_age=FEELS_BETTER_MAX_AGE)
    if not isinstance(pk, int):
        raise signing.BadSignature
    return UnsafePlaceReport.objects.get(pk=pk)


def report_triaged(*, report, previous):
    """After a coordinator changed the report (`previous` is how it was stored): tell the
    reporter that the municipality has looked at it, or what came of it. Call before saving:
    a handled report's address is deleted when it is saved."""
    if report.status != TriageStatus.NEW and not report.seen_at:
        report.seen_at = timezone.now()
        if report.outcome == previous.outcome:
            with translation.override(report.language):
                _tell(
                    report,
                    "seen",
                    _("The municipality has looked at your report"),
                    "reports/email/seen.txt",
                )
    if report.outcome and report.outcome != previous.outcome:
        report_outcome(report=report)


def report_outcome(*, report):
    """The report's outcome was set: its triage state follows, the reporter is told (with the
    question whether the place feels better once it is dealt with), and the municipality's
    page counts it."""
    report.status = OUTCOME_STATUS[report.outcome]
    report.seen_at = report.seen_at or timezone.now()
    asks = isinstance(report, UnsafePlaceReport) and report.outcome == Outcome.DEALT_WITH
    link = None
    if asks:
        report.feels_better, report.feels_better_at = "", None
        with translation.override(report.language):
            link = settings.SITE_URL.rstrip("/") + reverse(
                "reports:feels_better", args=[feels_better_token(report)]
            )
    with translation.override(report.language):
        _tell(
            report,
            f"outcome:{report.outcome}:{time.time_ns()}",
            _("What came of your report"),
            "reports/email/outcome.txt",
            feels_better_url=link,
        )
    _counted_again(report)


@transaction.atomic
def feels_better_record(*, report, answer):
    """Record the reporter's answer; a "no" reopens the report for the coordinators. Returns
    False if the report is not waiting for an answer (answered already, or reopened)."""
    report = UnsafePlaceReport.objects.select_for_update().get(pk=report.pk)
    if report.outcome != Outcome.DEALT_WITH or report.feels_better:
        return False
    report.feels_better, report.feels_better_at = answer, timezone.now()
    if answer == FeelsBetter.NO:
        report.outcome, report.status = "", TriageStatus.IN_PROGRESS
    report.full_clean()
    report.save()
    _counted_again(report)
    return True


def _counted_again(report):
    # The municipality's page counts reports by outcome; new reports are not counted until
    # then, so they leave the cached pages alone.
    content_changed()
    municipality_id = getattr(report, "municipality_id", None)
    if municipality_id:
        scopes_changed({scope("municipality", municipality_id)})
