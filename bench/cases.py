"""The benchmark cases: each builds a small and a large data set and returns their two URLs."""

from collections.abc import Callable
from dataclasses import dataclass

from tests.factories import (
    make_commitment,
    make_focus_area,
    make_municipality,
    make_police_area,
    make_promise,
)

SCALE = 20


@dataclass
class Case:
    name: str
    build: Callable[[], tuple[str, str]]
    # Accepted growth of the median time for SCALE times more data: rendering grows with what is
    # shown, but queries must not.
    target: float


def _promise_with(commitments):
    municipality, police = make_municipality(), make_police_area()
    promise = make_promise(parties=[municipality, police])
    areas = [make_focus_area(promise) for _ in range(4)]
    for i in range(commitments):
        make_commitment(promise, [police, municipality][: 1 + i % 2], focus_area=areas[i % 4])
    return promise.get_absolute_url()


def promise_page():
    return _promise_with(4), _promise_with(4 * SCALE)


CASES = [
    Case("promise page, commitments x20", promise_page, target=8.0),
]
