from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """The engagement-statistics pipeline (PRODUCT §7). Other apps use it through ``stats.api`` only."""

    name = "stats"
    verbose_name = _("Engagement statistics")

    def ready(self) -> None:
        # Profiles reach the pipeline through a registry (creators never imports stats).
        from creators import account_stats

        from . import api

        account_stats.register(api)
