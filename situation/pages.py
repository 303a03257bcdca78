"""The situation picture on the public promise page (see promises.pages): the public problems
behind each focus area and the survey indicators that follow them."""

from dataclasses import dataclass

from promises import pages

from .models import Problem


@dataclass
class Evidence:
    problems: list
    indicators: list


def focus_area_evidence(promise):
    """{focus area id: Evidence} for the whole promise, in two queries however many focus areas
    it has (none when it has no focus areas, which the page has already fetched)."""
    if not promise.focus_areas.all():
        return {"evidence": {}}
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
        evidence[area_id] = Evidence(
            problems, sorted(indicators.values(), key=lambda i: (i.order, i.code))
        )
    return {"evidence": evidence}


pages.register("promise_detail", focus_area_evidence)
