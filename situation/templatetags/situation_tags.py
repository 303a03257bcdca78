from django import template

from situation.models import Problem

register = template.Library()


def _evidence(promise):
    """Public problems and their indicators per focus area, for the whole promise at once.

    Cached on the promise, so the tag costs two queries per page however many focus areas
    it is called for.
    """
    cached = getattr(promise, "_situation_evidence", None)
    if cached is not None:
        return cached
    links = (
        Problem.focus_areas.through.objects.filter(
            focusarea__promise=promise, problem__in=Problem.objects.public()
        )
        .select_related("problem")
        .order_by("-problem__observed_on", "problem__title")
    )
    problems_by_area = {}
    for link in links:
        problems_by_area.setdefault(link.focusarea_id, []).append(link.problem)
    problem_ids = {problem.pk for problems in problems_by_area.values() for problem in problems}
    indicators_by_problem = {}
    if problem_ids:
        for link in (
            Problem.indicators.through.objects.filter(problem_id__in=problem_ids)
            .select_related("indicator")
            .order_by("indicator__order", "indicator__code")
        ):
            indicators_by_problem.setdefault(link.problem_id, []).append(link.indicator)
    evidence = {}
    for area_id, problems in problems_by_area.items():
        indicators = {}
        for problem in problems:
            for indicator in indicators_by_problem.get(problem.pk, []):
                indicators[indicator.pk] = indicator
        evidence[area_id] = (
            problems,
            sorted(indicators.values(), key=lambda i: (i.order, i.code)),
        )
    promise._situation_evidence = evidence
    return evidence


@register.inclusion_tag("situation/includes/focus_area_evidence.html")
def focus_area_evidence(promise, focus_area):
    """The public problems behind a focus area and the survey indicators that follow them."""
    problems, indicators = _evidence(promise).get(focus_area.pk, ([], []))
    return {
        "focus_area": focus_area,
        "problems": problems,
        "indicators": indicators,
        "municipalities": promise.municipalities(),
    }
