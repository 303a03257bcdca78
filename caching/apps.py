from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    name = "caching"
    verbose_name = _("Page cache")

    def ready(self):
        from simple_history.models import HistoricalChanges

        from . import fragments, pages

        # Any write to the apps residents read may change a public page: the pages cached so
        # far are then stale, on every instance (the generation lives in the shared cache).
        watched = set(settings.PAGE_CACHE_WATCHED_APPS)

        def changed(sender, **kwargs):
            if sender._meta.app_label in watched:
                pages.content_changed()
                # A history row is written with the change it records, which counts already.
                historical = issubclass(sender, HistoricalChanges)
                # A data migration's model (Django builds those in "__fake__"): the schema may
                # be half made, so no page can be rendered from it yet.
                migrating = sender.__module__ == "__fake__"
                # A link removed or cleared shows on the pages of what it linked to, which
                # the instance's scopes name only before the removal; a link added, after.
                if not (historical or migrating) and kwargs.get("action") != "pre_add":
                    fragments.changed(kwargs["instance"])

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(changed, weak=False, dispatch_uid=f"page-cache-{signal}")
