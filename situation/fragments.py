"""What a write to the situation picture or the surveys changes on the public pages
(caching.fragments): a municipality's situation and survey pages, and the promise pages whose
focus areas or commitments a problem or action plan is linked to."""

from functools import lru_cache

from django.urls import reverse

from caching.fragments import register_pages, register_scopes, scope
from promises.models import Party, Promise

from .models import (
    ActionPlan,
    Place,
    Problem,
    SafetySurvey,
    SituationPicture,
    SurveyResult,
)


def _municipalities(pks):
    return [scope("municipality", pk) for pk in pks]


def _promises(pks):
    return [scope("promise", pk) for pk in pks if pk is not None]


def picture_scopes(picture):
    problems = Problem.objects.filter(picture=picture)
    return [
        *_municipalities(picture.municipalities.values_list("pk", flat=True)),
        *_promises(problems.values_list("focus_areas__promise", flat=True)),
        *_promises(problems.values_list("commitments__promise", flat=True)),
    ]


def problem_scopes(problem):
    pictures = SituationPicture.objects.filter(pk=problem.picture_id)
    return [
        *_municipalities(pictures.values_list("municipalities", flat=True)),
        *_promises(problem.focus_areas.values_list("promise", flat=True)),
        *_promises(problem.commitments.values_list("promise", flat=True)),
    ]


def action_plan_scopes(plan):
    return [
        scope("municipality", plan.municipality_id),
        *_promises(plan.commitments.values_list("promise", flat=True)),
    ]


@lru_cache(maxsize=4096)
def _area_of_survey(survey_id):
    # A survey never moves to another area, so this is asked once per survey and process.
    return SafetySurvey.objects.filter(pk=survey_id).values_list("area_id", flat=True).first()


register_scopes(SituationPicture, picture_scopes)
register_scopes(Problem, problem_scopes)
register_scopes(ActionPlan, action_plan_scopes)
register_scopes(Place, lambda place: [scope("municipality", place.municipality_id)])


def survey_area_scopes(area_id):
    """A survey's area's pages, and the pages of its promises, whose focus areas show the
    latest reading of the indicators they follow."""
    promises = Promise.objects.filter(parties=area_id).values_list("pk", flat=True)
    return [scope("municipality", area_id), *(scope("promise", pk) for pk in promises)]


register_scopes(SafetySurvey, lambda survey: survey_area_scopes(survey.area_id))
register_scopes(SurveyResult, lambda result: survey_area_scopes(_area_of_survey(result.survey_id)))


def municipality_pages(pk):
    slug = Party.objects.municipalities().filter(pk=pk).values_list("slug", flat=True).first()
    if slug is None:
        return []
    return [
        reverse("situation:survey_detail", args=[slug]),
        reverse("situation:municipality_situation", args=[slug]),
    ]


register_pages("municipality", municipality_pages)
