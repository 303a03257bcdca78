"""Atom feeds of published follow-up rounds, for residents and municipalities' own websites."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from caching.fragments import GENERATION, Fragment
from promises.models import Party

from .models import FollowUpRound

FEED_LENGTH = 30


class TextSummaryAtomFeed(Atom1Feed):
    """Atom whose summaries are plain text: Atom1Feed declares them type="html", and feed
    readers would then render a summary's "<script>" as markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestRoundsFeed(Feed):
    """The latest published rounds of the whole country. The feed is a list any write may
    change, so the whole document is kept as a fragment of the data's generation
    (caching.fragments), rendered again after every write."""

    feed_type = TextSummaryAtomFeed

    def __call__(self, request, *args, **kwargs):
        body = Fragment(request, "feed", GENERATION)
        if not body.missing:
            response = HttpResponse(body.html, content_type=body.extra["content_type"])
            response.headers["Last-Modified"] = body.extra["last_modified"]
            return response
        response = super().__call__(request, *args, **kwargs)
        body.keep(content_type=response["Content-Type"], last_modified=response["Last-Modified"])
        body.store(response.content.decode())
        return response

    title = _("Follow-up of citizen promises")
    subtitle = _("How the municipalities and the police are doing with what they promised.")
    author_name = _("Löftesportalen")

    def link(self):
        return reverse("promises:home")

    def rounds(self):
        return FollowUpRound.objects.published().select_related("promise").order_by("-published_at")

    def items(self):
        return self.rounds()[:FEED_LENGTH]

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class MunicipalityRoundsFeed(LatestRoundsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Party.objects.municipalities(), slug=slug)

    def title(self, obj):
        return _("Follow-up of citizen promises in %(municipality)s") % {"municipality": obj}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return self.rounds().filter(promise__parties=obj)[:FEED_LENGTH]
