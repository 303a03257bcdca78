from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from caching.fragments import GENERATION, Fragment, read_only, scope
from promises.models import Commitment, FocusArea, Party, Promise
from promises.views import municipality_fragment

from .charts import indicator_trends
from .models import ActionPlan, Problem, SafetySurvey, SituationPicture, SurveyResult


@read_only
def survey_detail(request, slug):
    body, municipality = municipality_fragment(request, "survey_detail", slug)
    context = {"municipality": municipality, "body": body}
    if body.missing:
        surveys = list(SafetySurvey.objects.public().filter(area=municipality).order_by("year"))
        results = SurveyResult.objects.public().filter(survey__area=municipality)
        context |= {
            "surveys": surveys,
            "has_example_data": any(survey.is_example for survey in surveys),
            "trends": indicator_trends(results.select_related("indicator", "survey")),
        }
    return render(request, "situation/survey_detail.html", context)


def _public_problems():
    published = Promise.objects.published()
    return Problem.objects.public().prefetch_related(
        "places",
        Prefetch(
            "focus_areas",
            queryset=FocusArea.objects.filter(promise__in=published).select_related("promise"),
        ),
    )


def _action_plans(picture):
    """The decided action plans of the picture's municipalities for its period, each with the
    commitments of published promises it carries out."""
    published = Promise.objects.published()
    return (
        ActionPlan.objects.decided()
        .overlapping(picture.valid_from, picture.valid_until)
        .filter(municipality__in=picture.municipalities.all())
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.filter(promise__in=published).select_related("promise"),
            )
        )
        .order_by("-valid_from", "title")
    )


def _render_picture(request, body, municipality, pictures):
    """The page of the first of `pictures()` (and links to the rest), computed only when its
    `body` fragment is missing (caching.fragments)."""
    context = {"municipality": municipality, "body": body, **body.extra}
    if body.missing:
        picture, *earlier = pictures() or [None]
        problems = list(_public_problems().filter(picture=picture))
        hotspots = {}
        for problem in problems:
            for place in problem.places.all():
                hotspots.setdefault(place, []).append(problem)
        action_plans = list(_action_plans(picture)) if picture else []
        body.keep(last_updated=picture.updated_at if picture else None)
        context |= {
            "picture": picture,
            "problems": problems,
            "hotspots": sorted(hotspots.items(), key=lambda item: item[0].name),
            "action_plans": action_plans,
            "earlier_pictures": earlier,
            **body.extra,
        }
    return render(request, "situation/situationpicture_detail.html", context)


@read_only
def municipality_situation(request, slug):
    """The municipality's current public situation picture: the latest that has begun."""
    body, municipality = municipality_fragment(request, "situation", slug)
    return _render_picture(
        request,
        body,
        municipality,
        lambda: list(
            SituationPicture.objects.public()
            .filter(municipalities=municipality, valid_from__lte=timezone.localdate())
            .order_by("-valid_from")
        ),
    )


@read_only
def picture_detail(request, pk):
    picture = get_object_or_404(SituationPicture.objects.public(), pk=pk)
    municipality = picture.municipalities.order_by("name").first()
    # A picture of a police area alone has no municipality's scope: any write renders it anew.
    shown = scope("municipality", municipality.pk) if municipality else GENERATION
    body = Fragment(request, "situation", shown)
    return _render_picture(request, body, municipality, lambda: [picture])


def problem_detail(request, pk):
    published = Promise.objects.published()
    problem = get_object_or_404(
        _public_problems()
        .select_related("picture")
        .prefetch_related(
            "indicators",
            Prefetch(
                "commitments",
                queryset=Commitment.objects.filter(promise__in=published).select_related("promise"),
            ),
            Prefetch("picture__municipalities", queryset=Party.objects.order_by("name")),
        ),
        pk=pk,
    )
    return render(
        request,
        "situation/problem_detail.html",
        {
            "problem": problem,
            "municipalities": problem.picture.municipalities.all(),
            "last_updated": problem.updated_at,
        },
    )
