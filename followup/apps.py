from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        # Adds the follow-up summaries and the status filter to the residents' search.
        from . import search  # noqa: F401
