"""The police's follow-up overview: promises waiting for their signature (first), every promise
of their police areas with its latest round, rounds awaiting review, overdue quarters and
commitments at risk or delayed, in a fixed number of queries however many rounds and
commitments there are (and a few per promise waiting for a signature)."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promises import permissions
from promises.models import Party, Promise

from .models import CommitmentStatus, FollowUpRound
from .schedule import due_quarters

ATTENTION = [CommitmentStatus.Status.AT_RISK, CommitmentStatus.Status.DELAYED]
NO_ROUND = "none"
# Promises that ended longer ago than this are left out unless asked for (period=all).
RECENT = dt.timedelta(days=365)


@dataclass
class Row:
    promise: Promise
    rounds: list
    overdue: list
    at_risk: list = field(default_factory=list)

    @property
    def latest(self):
        return self.rounds[-1] if self.rounds else None

    @property
    def state(self):
        return self.latest.state if self.latest else NO_ROUND


SORTS = {
    "promise": lambda row: row.promise.title.lower(),
    "latest": lambda row: (row.latest.year, row.latest.quarter) if row.latest else (0, 0),
    "state": lambda row: str(row.latest.get_state_display()) if row.latest else "",
    "overdue": lambda row: len(row.overdue),
    "at_risk": lambda row: len(row.at_risk),
}
COLUMNS = [
    ("promise", _("Promise")),
    ("latest", _("Latest round")),
    ("state", _("State")),
    ("overdue", _("Overdue quarters")),
    ("at_risk", _("At risk or delayed")),
]


def _rows(areas, today, include_old):
    promises = Promise.objects.filter(parties__in=areas).exclude(status=Promise.Status.ARCHIVED)
    if not include_old:
        promises = promises.filter(valid_until__gte=today - RECENT)
    promises = promises.distinct().prefetch_related(
        Prefetch("parties", queryset=Party.objects.order_by("kind", "name")),
        Prefetch(
            "followup_rounds",
            queryset=FollowUpRound.objects.order_by("year", "quarter").select_related(
                "submitted_by"
            ),
        ),
    )
    rows = []
    for promise in promises:
        rounds = list(promise.followup_rounds.all())
        overdue = [due for due in due_quarters(promise, rounds, today) if due.overdue]
        rows.append(Row(promise, rounds, overdue))
    by_latest = {row.latest.pk: row for row in rows if row.latest}
    statuses = (
        CommitmentStatus.objects.filter(round__in=list(by_latest), status__in=ATTENTION)
        .select_related("commitment")
        .order_by("commitment__order", "commitment")
    )
    for status in statuses:
        by_latest[status.round_id].at_risk.append(status)
    return rows


def build(user, params, today=None):
    """The overview's template context, filtered and sorted by the GET parameters
    area (a police area's pk), state (a round state or "none"), status, period and sort."""
    today = today or timezone.localdate()
    include_old = params.get("period") == "all"
    areas = list(permissions.reviewed_police_areas(user).order_by("name"))
    selected_area = params.get("area", "")
    shown_areas = [a for a in areas if str(a.pk) == selected_area] or areas
    rows = _rows(shown_areas, today, include_old) if shown_areas else []

    state = params.get("state", "")
    if state:
        rows = [row for row in rows if row.state == state]
    sort = params.get("sort", "promise")
    key = SORTS.get(sort.removeprefix("-"), SORTS["promise"])
    rows.sort(key=key, reverse=sort.startswith("-"))

    status = params.get("status", "")
    at_risk = [
        (row.promise, s) for row in rows for s in row.at_risk if not status or s.status == status
    ]
    columns = []
    for name, label in COLUMNS:
        query = {k: v for k, v in params.items() if k != "sort"}
        query["sort"] = f"-{name}" if sort == name else name
        direction = "ascending" if sort == name else "descending" if sort == f"-{name}" else ""
        columns.append((label, "?" + urlencode(query), direction))
    return {
        # First on the page: promises that wait for these police areas' signature.
        "awaiting_signature": Promise.objects.awaiting_signature_of(shown_areas),
        "areas": areas,
        "selected_area": selected_area,
        "rows": rows,
        "awaiting_review": [
            r for row in rows for r in row.rounds if r.state == FollowUpRound.State.SUBMITTED
        ],
        "overdue": [(row.promise, due) for row in rows for due in row.overdue],
        "at_risk": at_risk,
        "columns": columns,
        "states": [(NO_ROUND, _("no round yet")), *FollowUpRound.State.choices],
        "selected_state": state,
        "statuses": [(s.value, s.label) for s in ATTENTION],
        "selected_status": status,
        "include_old": include_old,
        "selected_sort": sort,
    }
