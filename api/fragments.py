"""What a write changes in the API (caching.fragments): each row of a list is kept until a stamp
of its scope moves on (views.KeptRowsMixin), so after a write the first page of every list is
rendered again with the site's pages, and the rows of what changed are ready for the first
reader. The overview's lists need nothing of their own: they are the overview page's figures."""

from django.urls import reverse

from caching.fragments import GENERATION, register_pages

from .urls import router

register_pages(
    GENERATION,
    lambda _pk: [
        reverse(f"api:{basename}-list") for _prefix, _viewset, basename in router.registry
    ],
)
