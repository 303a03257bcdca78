from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        # Each app describes its own downloads in <app>/datasets.py, as admin.py does for the admin.
        autodiscover_modules("datasets")
