from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Citizen promises")

    def ready(self):
        # Other apps add to the search in <app>/search.py and to the promise pages in
        # <app>/pages.py, as they describe their open data in datasets.py; each app names
        # what its writes change on the public pages in <app>/fragments.py (caching.fragments).
        autodiscover_modules("search", "pages", "fragments")

        from django.db.models.signals import post_delete, post_save

        from .search import entries_follow_write

        # The stored search entries follow every write of what they copy (promises.search).
        for signal in (post_save, post_delete):
            signal.connect(entries_follow_write, dispatch_uid=f"search-entries-{signal}")
