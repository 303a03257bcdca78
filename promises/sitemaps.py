from django.db.models import Max, OuterRef, Subquery

from opendata.sitemaps import BilingualSitemap, PagesSitemap

from .models import Party, Promise


class HomeSitemap(PagesSitemap):
    def items(self):
        return ["promises:home"]


class MunicipalitySitemap(BilingualSitemap):
    """Municipalities with at least one published promise."""

    def items(self):
        latest = (
            Promise.objects.published()
            .filter(parties=OuterRef("pk"))
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )
        return (
            Party.objects.municipalities()
            .annotate(last_promise_update=Subquery(latest))
            .filter(last_promise_update__isnull=False)
            .order_by("slug")
        )

    def lastmod(self, municipality):
        return municipality.last_promise_update

    def get_latest_lastmod(self):
        # For the sitemap index, in one query instead of a pass over every item.
        return self.items().aggregate(latest=Max("last_promise_update"))["latest"]


class PromiseSitemap(BilingualSitemap):
    def items(self):
        return Promise.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, promise):
        return promise.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]
