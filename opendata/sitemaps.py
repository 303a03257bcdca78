from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from promises.models import Party, Promise


class _BilingualSitemap(Sitemap):
    # Every page in Swedish and English, each listing the other as an alternate.
    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(_BilingualSitemap):
    changefreq = "weekly"

    def items(self):
        return ["promises:home", "opendata:index", "opendata:schema"]

    def location(self, item):
        return reverse(item)


class MunicipalitySitemap(_BilingualSitemap):
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


class PromiseSitemap(_BilingualSitemap):
    def items(self):
        return Promise.objects.published().order_by("slug")

    def lastmod(self, promise):
        return promise.updated_at


SITEMAPS = {
    "pages": PagesSitemap,
    "municipalities": MunicipalitySitemap,
    "promises": PromiseSitemap,
}
