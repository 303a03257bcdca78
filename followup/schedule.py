"""When follow-up is due: one round per quarter of a published promise's period, overdue a number
of days (settings.FOLLOWUP_OVERDUE_DAYS) after the quarter ends unless the police approved it."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

# Round states (FollowUpRound.State values) in which the police have approved the follow-up;
# plain strings because the models import this module.
APPROVED_STATES = {"approved", "published"}


@dataclass(frozen=True)
class DueQuarter:
    year: int
    quarter: int
    start: dt.date
    end: dt.date
    due_on: dt.date
    round: object  # the FollowUpRound, or None if none has been created yet
    overdue: bool

    @property
    def done(self):
        return self.round is not None and self.round.state in APPROVED_STATES

    @property
    def label(self):
        return quarter_label(self.year, self.quarter)


def quarter_label(year, quarter):
    """A quarter as people write it: "Q1 2026" ("kvartal 1 2026")."""
    return gettext("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}


def quarter_of(day):
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year, quarter):
    start = dt.date(year, 3 * quarter - 2, 1)
    next_start = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, next_start - dt.timedelta(days=1)


def quarters_overlapping(start, end):
    """(year, quarter) of every calendar quarter that shares at least one day with start–end."""
    year, quarter = quarter_of(start)
    quarters = []
    while quarter_bounds(year, quarter)[0] <= end:
        quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def due_on(year, quarter):
    """The last day on which a round for the quarter is on time."""
    return quarter_bounds(year, quarter)[1] + dt.timedelta(days=settings.FOLLOWUP_OVERDUE_DAYS)


def is_overdue(year, quarter, state=None, today=None):
    today = today or timezone.localdate()
    return state not in APPROVED_STATES and today > due_on(year, quarter)


def due_quarters(promise, rounds=None, today=None):
    """Every quarter a published promise must be followed up in, with its round and whether it
    is overdue. `rounds` are the promise's rounds if already fetched (saves a query)."""
    if not promise.is_public:
        return []
    if rounds is None:
        rounds = promise.followup_rounds.all()
    by_quarter = {(r.year, r.quarter): r for r in rounds}
    due = []
    for year, quarter in quarters_overlapping(promise.valid_from, promise.valid_until):
        start, end = quarter_bounds(year, quarter)
        round_ = by_quarter.get((year, quarter))
        due.append(
            DueQuarter(
                year=year,
                quarter=quarter,
                start=start,
                end=end,
                due_on=due_on(year, quarter),
                round=round_,
                overdue=is_overdue(year, quarter, round_ and round_.state, today),
            )
        )
    return due
