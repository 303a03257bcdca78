from opendata.sitemaps import PagesSitemap


class OverviewSitemap(PagesSitemap):
    def items(self):
        return ["overview:index", "overview:municipalities"]
