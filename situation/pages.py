"""The situation picture on the public promise page (see promises.pages): the public problems
behind each focus area and the survey indicators that follow them."""

from dataclasses import dataclass

from promises import pages

from .charts import Direction, direction, format_value
from .models import Problem, SurveyGroup, SurveyResult


@dataclass
class Reading:
    """An indicator's latest published value in one municipality (everyone surveyed), and its
    direction since the survey before."""

    municipality: object
    year: int
    value: str
    previous_year: int | None = None
    direction: Direction | None = None


@dataclass
class Evidence:
    problems: list
    indicators: list  # (indicator, [Reading per municipality measured]) pairs


def latest_readings(indicators, municipalities):
    """{indicator id: [Reading]} for the municipalities, in one query: every published value of
    everyone surveyed, as the number of years to compare is small."""
    values = {}
    results = (
        SurveyResult.objects.public()
        .filter(indicator__in=indicators, survey__area__in=municipalities, group=SurveyGroup.ALL)
        .order_by("survey__year")
        .values_list("indicator_id", "survey__area_id", "survey__year", "value")
    )
    for indicator_id, area_id, year, value in results:
        values.setdefault((indicator_id, area_id), []).append((year, value))
    readings = {}
    for indicator in indicators:
        for municipality in municipalities:
            series = values.get((indicator.pk, municipality.pk))
            if not series:
                continue
            year, value = series[-1]
            reading = Reading(municipality, year, format_value(value, indicator.unit))
            if len(series) > 1:
                previous_year, previous = series[-2]
                reading.previous_year = previous_year
                reading.direction = direction(previous, value, indicator.lower_is_better)
            readings.setdefault(indicator.pk, []).append(reading)
    return readings


def focus_area_evidence(promise):
    """{focus area id: Evidence} for the whole promise, in three queries however many focus areas
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
    followed = {
        indicator.pk: indicator
        for indicators in indicators_by_problem.values()
        for indicator in indicators
    }
    readings = (
        latest_readings(list(followed.values()), promise.municipalities()) if followed else {}
    )
    evidence = {}
    for area_id, problems in problems_by_area.items():
        indicators = {}
        for problem in problems:
            for indicator in indicators_by_problem.get(problem.pk, []):
                indicators[indicator.pk] = indicator
        evidence[area_id] = Evidence(
            problems,
            [
                (indicator, readings.get(indicator.pk, []))
                for indicator in sorted(indicators.values(), key=lambda i: (i.order, i.code))
            ],
        )
    return {"evidence": evidence}


pages.register("promise_detail", focus_area_evidence)
