"""What a write to the promises app changes on the public pages, for the precomputed fragments
(caching.fragments): a promise's pages show its focus areas, commitments and approvals; a
municipality's page lists its promises; a party's name shows everywhere."""

from django.urls import reverse

from caching.fragments import GENERATION, register_pages, register_scopes, scope

from .models import (
    Agreement,
    Commitment,
    FocusArea,
    Membership,
    Party,
    Promise,
    PromiseApproval,
    SearchEntry,
    SignatureReminder,
)


def promise_scopes(promise):
    municipalities = promise.parties.municipalities().values_list("pk", flat=True)
    # The promise it continues links to it ("continued in"), and those continuing it link back
    # ("continues from", shown only while it is public).
    linked = [promise.continues_id] if promise.continues_id else []
    linked += promise.continued_in.values_list("pk", flat=True)
    return [
        scope("promise", promise.pk),
        *(scope("promise", pk) for pk in linked),
        *(scope("municipality", pk) for pk in municipalities),
    ]


def part_of_promise(instance):
    return [scope("promise", instance.promise_id)]


def agreement_scopes(agreement):
    return [scope("promise", pk) for pk in agreement.promises.values_list("pk", flat=True)]


register_scopes(Promise, promise_scopes)
for model in (FocusArea, Commitment, PromiseApproval):
    register_scopes(model, part_of_promise)
register_scopes(Agreement, agreement_scopes)
# Who works where, and whom the portal reminded, is never shown to residents.
register_scopes(Membership, lambda membership: [])
register_scopes(SignatureReminder, lambda reminder: [])
# The search's copy of what the promise pages show (promises.search), deleted with its promise.
register_scopes(SearchEntry, lambda entry: [])


def promise_pages(pk):
    promise = Promise.objects.published().filter(pk=pk).only("slug").first()
    return [promise.get_absolute_url()] if promise else []


def municipality_pages(pk):
    slug = Party.objects.municipalities().filter(pk=pk).values_list("slug", flat=True).first()
    return [reverse("promises:municipality_detail", args=[slug])] if slug else []


register_pages(GENERATION, lambda _pk: [reverse("promises:home"), reverse("promises:archive")])
register_pages("promise", promise_pages)
register_pages("municipality", municipality_pages)
