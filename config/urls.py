from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.generic import TemplateView

from api.views import docs as api_docs
from config.views import healthz
from opendata.sitemaps import OpenDataSitemap
from opendata.views import catalogue, robots_txt
from overview.sitemaps import OverviewSitemap
from promises.sitemaps import HomeSitemap, MunicipalitySitemap, PromiseSitemap

# /sitemap.xml is the index of these sections, in this order: the home page, the national
# overview, the open-data pages, municipalities, promises; each section is
# /sitemap-<section>.xml in pages (?p=2) of at most 50,000 addresses (BilingualSitemap.limit),
# the most a sitemap may hold.
SITEMAPS = {
    "home": HomeSitemap,
    "overview": OverviewSitemap,
    "opendata": OpenDataSitemap,
    "municipalities": MunicipalitySitemap,
    "promises": PromiseSitemap,
}

urlpatterns = [
    # Crawlers look for these at the root only, so they stay outside the language prefixes.
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("healthz", healthz, name="healthz"),
    # The DCAT-AP-SE catalogue: one address for harvesters, its texts in both languages.
    path("oppna-data/katalog.<str:fmt>", catalogue, name="opendata_catalogue"),
    path("", include("api.urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("promises.urls")),
    path("", include("situation.urls")),
    path("", include("followup.urls")),
    path("", include("overview.urls")),
    path("rapportera/", include("reports.urls")),
    path("prenumerera/", include("subscriptions.urls")),
    path(
        "tillganglighet/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path(
        "personuppgifter/",
        TemplateView.as_view(
            template_name="pages/privacy.html",
            extra_context={
                "subscriptions_confirm_days": settings.SUBSCRIPTIONS_CONFIRM_SECONDS // 86400
            },
        ),
        name="privacy",
    ),
    path("", include("opendata.urls")),
    path("api/", api_docs, name="api_docs"),
    prefix_default_language=False,
)

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
