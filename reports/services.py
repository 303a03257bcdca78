"""Writes spanning a report and the situation picture."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from promises import permissions
from situation.models import Place, Problem, SituationPicture

from .models import TriageStatus


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
    report.problem, report.status = problem, TriageStatus.IN_PROGRESS
    report.full_clean()
    report.save()
    return problem
