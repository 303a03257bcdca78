from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from config.views import healthz
from opendata.sitemaps import OpenDataSitemap
from opendata.views import robots_txt
from promises.sitemaps import HomeSitemap, MunicipalitySitemap, PromiseSitemap

# In this order in /sitemap.xml: the home page, the open-data pages, municipalities, promises.
SITEMAPS = {
    "home": HomeSitemap,
    "opendata": OpenDataSitemap,
    "municipalities": MunicipalitySitemap,
    "promises": PromiseSitemap,
}

# Records each denial as a security event before Django's 403 page.
handler403 = "security.views.permission_denied"

urlpatterns = [
    # Crawlers look for these at the root only, so they stay outside the language prefixes.
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", healthz, name="healthz"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("promises.urls")),
    path("", include("situation.urls")),
    path("", include("followup.urls")),
    path("rapportera/", include("reports.urls")),
    path(
        "tillganglighet/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path(
        "personuppgifter/",
        TemplateView.as_view(template_name="pages/privacy.html"),
        name="privacy",
    ),
    path("", include("opendata.urls")),
    prefix_default_language=False,
)

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
