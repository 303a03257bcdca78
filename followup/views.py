from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from caching.fragments import Fragment, read_only, scope
from promises.views import published_promise

from .models import CommitmentStatus, FollowUpRound


def _mark_changes(statuses, earlier):
    """Give each status `before`, the same commitment's status in the earlier published round
    (or None), and `has_changed`; return the changed ones. Residents compare published rounds
    only, so this is not CommitmentStatus.objects.with_previous(), which sees every round."""
    before = {s.commitment_id: s for s in earlier}
    changed = []
    for status in statuses:
        status.before = before.get(status.commitment_id)
        status.has_changed = status.before is None or (status.status, status.progress) != (
            status.before.status,
            status.before.progress,
        )
        if status.has_changed:
            changed.append(status)
    return changed


@read_only
def timeline(request, slug):
    body, promise = published_promise(request, "timeline", slug)
    context = {"promise": promise, "body": body, **body.extra}
    if body.missing:
        rounds = list(
            FollowUpRound.objects.published()
            .filter(promise=promise)
            .order_by("year", "quarter")
            .select_related("promise")
            .prefetch_related(
                Prefetch(
                    "statuses",
                    queryset=CommitmentStatus.objects.select_related("commitment"),
                )
            )
        )
        entries, earlier = [], []
        for round_ in rounds:
            statuses = list(round_.statuses.all())
            entries.append((round_, _mark_changes(statuses, earlier)))
            earlier = statuses
        entries.reverse()
        body.keep(last_updated=rounds[-1].published_at if rounds else promise.updated_at)
        context |= {"entries": entries, **body.extra}
    return render(request, "followup/timeline.html", context)


@read_only
def round_detail(request, slug, year, quarter):
    body = Fragment(request, "round_detail")
    if "round" not in body.extra:
        found = FollowUpRound.objects.published().filter(
            promise__slug=slug, year=year, quarter=quarter
        )
        promise_pk = found.values_list("promise", flat=True).first()
        if promise_pk is None:
            raise Http404
        body.shows(scope("promise", promise_pk))
        body.keep(round=get_object_or_404(found.select_related("promise")))
    round_ = body.extra["round"]
    context = {
        "round": round_,
        "promise": round_.promise,
        "body": body,
        "last_updated": round_.updated_at,
    }
    if body.missing:
        statuses = round_.statuses.select_related("commitment__focus_area")
        statuses = list(statuses.in_focus_area_order())
        previous = (
            FollowUpRound.objects.published()
            .filter(promise=round_.promise)
            .before(year, quarter)
            .first()
        )
        _mark_changes(statuses, previous.statuses.all() if previous else [])
        context |= {"previous": previous, "statuses": statuses}
    return render(request, "followup/round_detail.html", context)
