"""The national overview shows every promise and round, so any write changes it: it is kept
under the data's generation and rendered again after every write (caching.fragments), so that
the first reader after a publish does not pay for the country's figures."""

from django.urls import reverse

from caching.fragments import GENERATION, register_pages

register_pages(
    GENERATION, lambda _pk: [reverse("overview:index"), reverse("overview:municipalities")]
)
