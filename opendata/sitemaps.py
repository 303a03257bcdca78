from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class BilingualSitemap(Sitemap):
    # Every page in Swedish and English, each listing the other as an alternate.
    i18n = True
    alternates = True
    x_default = True
    # <url> entries per page, the most the sitemap protocol allows. Each language of a page is
    # an entry of its own (its alternates are inside it), so a page holds this many at most.
    limit = 50_000


class PagesSitemap(BilingualSitemap):
    """Pages named by their URL name."""

    changefreq = "weekly"

    def location(self, item):
        return reverse(item)


class OpenDataSitemap(PagesSitemap):
    def items(self):
        return ["opendata:index", "opendata:schema"]
