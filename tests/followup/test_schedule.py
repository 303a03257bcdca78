import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from followup import schedule
from followup.models import FollowUpRound
from tests.factories import make_promise, make_round

D = dt.date


def test_quarter_bounds_cover_the_whole_year_including_leap_day():
    assert schedule.quarter_bounds(2024, 1) == (D(2024, 1, 1), D(2024, 3, 31))
    assert schedule.quarter_bounds(2024, 4) == (D(2024, 10, 1), D(2024, 12, 31))
    assert schedule.quarter_of(D(2024, 2, 29)) == (2024, 1)
    assert schedule.quarter_of(D(2024, 12, 31)) == (2024, 4)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Whole years: every quarter.
        (D(2024, 1, 1), D(2025, 12, 31), [(y, q) for y in (2024, 2025) for q in (1, 2, 3, 4)]),
        # A period starting mid-quarter still owes that quarter's follow-up.
        (D(2021, 1, 18), D(2021, 12, 31), [(2021, 1), (2021, 2), (2021, 3), (2021, 4)]),
        (D(2023, 5, 15), D(2023, 8, 1), [(2023, 2), (2023, 3)]),
        # One day is one quarter, on both the first and the last day of a quarter.
        (D(2024, 3, 31), D(2024, 3, 31), [(2024, 1)]),
        (D(2024, 4, 1), D(2024, 4, 1), [(2024, 2)]),
        # Across the new year.
        (D(2024, 12, 31), D(2025, 1, 1), [(2024, 4), (2025, 1)]),
    ],
)
def test_quarters_overlapping(start, end, expected):
    assert schedule.quarters_overlapping(start, end) == expected


def test_due_date_is_overdue_days_after_quarter_end(settings):
    settings.FOLLOWUP_OVERDUE_DAYS = 30
    # Q1 of a leap year ends on 31 March either way; 30 days later is 30 April.
    assert schedule.due_on(2024, 1) == D(2024, 4, 30)
    # Q4 runs into the next year.
    assert schedule.due_on(2024, 4) == D(2025, 1, 30)
    # A due date that falls on the leap day.
    settings.FOLLOWUP_OVERDUE_DAYS = 60
    assert schedule.due_on(2023, 4) == D(2024, 2, 29)
    assert schedule.due_on(2022, 4) == D(2023, 3, 1)


def test_overdue_from_the_day_after_the_due_date_until_approved(settings):
    settings.FOLLOWUP_OVERDUE_DAYS = 30
    assert not schedule.is_overdue(2024, 1, "draft", today=D(2024, 4, 30))
    assert schedule.is_overdue(2024, 1, "draft", today=D(2024, 5, 1))
    assert schedule.is_overdue(2024, 1, None, today=D(2024, 5, 1))
    assert schedule.is_overdue(2024, 1, "submitted", today=D(2024, 5, 1))
    assert schedule.is_overdue(2024, 1, "returned", today=D(2024, 5, 1))
    assert not schedule.is_overdue(2024, 1, "approved", today=D(2024, 5, 1))
    assert not schedule.is_overdue(2024, 1, "published", today=D(2030, 1, 1))


def test_overdue_days_come_from_settings(settings):
    settings.FOLLOWUP_OVERDUE_DAYS = 10
    assert schedule.is_overdue(2024, 1, "draft", today=D(2024, 4, 11))
    assert not schedule.is_overdue(2024, 1, "draft", today=D(2024, 4, 10))


@pytest.mark.django_db
def test_due_quarters_of_a_published_promise(settings):
    settings.FOLLOWUP_OVERDUE_DAYS = 30
    promise = make_promise(valid_from=D(2024, 2, 15), valid_until=D(2024, 12, 31))
    first = make_round(promise, 2024, 1, state=FollowUpRound.State.APPROVED)
    second = make_round(promise, 2024, 2)
    due = schedule.due_quarters(promise, today=D(2024, 11, 1))
    assert [(d.year, d.quarter) for d in due] == [(2024, 1), (2024, 2), (2024, 3), (2024, 4)]
    assert [d.round for d in due] == [first, second, None, None]
    # Approved Q1 is done; Q2 (a draft) and Q3 (no round) are past due; Q4 is not over yet.
    assert [d.overdue for d in due] == [False, True, True, False]
    assert due[0].done and not due[1].done
    # The last quarter becomes overdue 30 days after the period ends.
    assert not schedule.due_quarters(promise, today=D(2025, 1, 30))[-1].overdue
    assert schedule.due_quarters(promise, today=D(2025, 1, 31))[-1].overdue


@pytest.mark.django_db
def test_unpublished_promise_owes_no_follow_up():
    promise = make_promise(status="draft", published_at=None)
    assert schedule.due_quarters(promise) == []


@pytest.mark.django_db
def test_round_quarter_must_overlap_the_promise_period():
    promise = make_promise(valid_from=D(2021, 1, 18), valid_until=D(2021, 12, 31))
    FollowUpRound(promise=promise, year=2021, quarter=1).full_clean()  # starts mid-quarter
    with pytest.raises(ValidationError, match="utanför löftets period"):
        FollowUpRound(promise=promise, year=2020, quarter=4).full_clean()
    with pytest.raises(ValidationError, match="utanför löftets period"):
        FollowUpRound(promise=promise, year=2022, quarter=1).full_clean()
    with pytest.raises(ValidationError):
        FollowUpRound(promise=promise, year=2021, quarter=5).full_clean()
