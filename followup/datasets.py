"""Open data: the published follow-up of each commitment, round by round (see opendata.registry)."""

from django.db.models import F, Max, Min
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from opendata.registry import Column, ColumnType, Dataset, register
from promises.datasets import PROMISE_ID, PROMISE_SLUG

from . import schedule
from .models import CommitmentStatus, FollowUpRound


def published_rounds(municipality=None):
    rounds = FollowUpRound.objects.published()
    if municipality is not None:
        rounds = rounds.filter(promise__parties=municipality)
    return rounds


def published_period():
    """From the first day of the earliest published round's quarter to the last of the latest."""
    quarter_number = F("year") * 4 + F("quarter") - 1
    span = FollowUpRound.objects.published().aggregate(
        first=Min(quarter_number), last=Max(quarter_number)
    )
    if span["first"] is None:
        return None
    first, last = divmod(span["first"], 4), divmod(span["last"], 4)
    return (
        schedule.quarter_bounds(first[0], first[1] + 1)[0],
        schedule.quarter_bounds(last[0], last[1] + 1)[1],
    )


def status_rows(request, municipality):
    # The labels are data here, the same whatever the language of the page linking to them (a
    # download is one stored file for both): so both languages, each in a column of its own.
    labels = {}
    for language in ("sv", "en"):
        with translation.override(language):
            labels[language] = {
                status.value: str(status.label) for status in CommitmentStatus.Status
            }
    statuses = (
        CommitmentStatus.objects.filter(round__in=published_rounds(municipality))
        .order_by("round__promise_id", "round__year", "round__quarter", "commitment_id")
        .values_list(
            "round__promise_id",
            "round__promise__slug",
            "commitment_id",
            "round__year",
            "round__quarter",
            "status",
            "progress",
            "round__published_at",
        )
    )
    for (
        promise_id,
        slug,
        commitment_id,
        year,
        quarter,
        status,
        progress,
        published,
    ) in statuses.iterator():
        yield {
            "promise_id": promise_id,
            "promise_slug": slug,
            "commitment_id": commitment_id,
            "year": year,
            "quarter": quarter,
            "status": status,
            "status_label": labels["sv"][status],
            "status_label_en": labels["en"][status],
            "progress": progress,
            "published_at": published,
        }


register(
    Dataset(
        slug="statuses",
        title=_("Follow-up of commitments"),
        description=_(
            "One row per commitment and published follow-up round: how the commitment stood "
            "that quarter. The latest round of a promise gives its commitments' current status."
        ),
        columns=(
            PROMISE_ID,
            PROMISE_SLUG,
            Column(
                "commitment_id",
                ColumnType.INTEGER,
                _("The commitment's identifier, as in the commitments dataset."),
            ),
            Column("year", ColumnType.INTEGER, _("The year of the follow-up round.")),
            Column("quarter", ColumnType.INTEGER, _("The quarter of the follow-up round, 1–4.")),
            Column(
                "status",
                ColumnType.TEXT,
                _(
                    "The status as a code: not_started, ongoing, on_track, at_risk, delayed, "
                    "done or cancelled."
                ),
            ),
            Column("status_label", ColumnType.TEXT, _("The status in Swedish, as on the site.")),
            Column(
                "status_label_en",
                ColumnType.TEXT,
                _("The status in English, as on the English pages."),
            ),
            Column(
                "progress",
                ColumnType.INTEGER,
                _("Progress in percent, 0–100; empty if it is not measured that way."),
            ),
            Column("published_at", ColumnType.DATETIME, _("When the round was published.")),
        ),
        rows=status_rows,
        period=published_period,
    )
)
