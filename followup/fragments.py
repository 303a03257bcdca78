"""What a write to the follow-up changes on the public pages (caching.fragments): a round and
its statuses show on its promise's pages (the promise page, the timeline, the round pages)."""

from functools import lru_cache

from django.urls import reverse

from caching.fragments import GENERATION, register_pages, register_scopes, scope
from promises.models import Promise

from .models import CommitmentStatus, FollowUpReminder, FollowUpRound


@lru_cache(maxsize=4096)
def _promise_of_round(round_id):
    # A round never moves to another promise, so this is asked once per round and process.
    return FollowUpRound.objects.filter(pk=round_id).values_list("promise_id", flat=True).first()


register_scopes(FollowUpRound, lambda round_: [scope("promise", round_.promise_id)])
register_scopes(
    CommitmentStatus, lambda status: [scope("promise", _promise_of_round(status.round_id))]
)
# Reminders go to staff by e-mail; residents never see them.
register_scopes(FollowUpReminder, lambda reminder: [])


def followup_pages(pk):
    """The timeline and the latest published round of a published promise."""
    promise = Promise.objects.published().filter(pk=pk).only("slug").first()
    if promise is None:
        return []
    latest = FollowUpRound.objects.published().filter(promise=promise)
    latest = latest.select_related("promise").order_by("-year", "-quarter").first()
    return [reverse("followup:timeline", args=[promise.slug])] + (
        [latest.get_absolute_url()] if latest else []
    )


register_pages("promise", followup_pages)
register_pages(GENERATION, lambda _pk: [reverse("followup:feed")])
