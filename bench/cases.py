"""The benchmark cases: each builds a small and a large data set and returns their two URLs."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from situation.models import Indicator
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_municipality,
    make_police_area,
    make_promise,
    make_safety_survey,
    make_survey_result,
)

SCALE = 20


@dataclass
class Case:
    name: str
    build: Callable[[], tuple[str, str]]
    # Accepted growth for SCALE times more data. Time may grow with what a page shows, but
    # not with the number of queries; memory of a streamed download must stay about the same.
    time_target: float
    memory_target: float | None = None


def _promise_with(commitments, municipality=None):
    municipality = municipality or make_municipality()
    police = make_police_area()
    promise = make_promise(parties=[municipality, police])
    areas = [make_focus_area(promise) for _ in range(4)]
    for i in range(commitments):
        make_commitment(promise, [police, municipality][: 1 + i % 2], focus_area=areas[i % 4])
    return promise


def promise_page():
    return _promise_with(4).get_absolute_url(), _promise_with(4 * SCALE).get_absolute_url()


def _municipality_with_surveys(years):
    municipality = make_municipality()
    indicators = list(Indicator.objects.all())
    for year in range(2000, 2000 + years):
        survey = make_safety_survey(area=municipality, year=year)
        for n, indicator in enumerate(indicators):
            make_survey_result(survey, indicator, value=20 + (year + n) % 30)
    return reverse("situation:survey_detail", args=[municipality.slug])


def survey_page():
    # Years shown grow tenfold (2 → 20); the page draws every point, so time may grow.
    return _municipality_with_surveys(2), _municipality_with_surveys(20)


def commitments_download():
    small, large = make_municipality(), make_municipality()
    _promise_with(10, small)
    for _ in range(SCALE):
        _promise_with(10, large)

    def url(municipality):
        return reverse(
            "opendata:municipality_download",
            kwargs={"municipality": municipality.slug, "dataset": "commitments", "fmt": "csv"},
        )

    return url(small), url(large)


CASES = [
    Case("promise page, commitments x20", promise_page, time_target=5.0),
    Case("survey page, years x10", survey_page, time_target=6.0),
    Case("commitments CSV, promises x20", commitments_download, time_target=8.0, memory_target=3.0),
]
