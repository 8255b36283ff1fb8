from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from creators import collaborations
        from stats import live_work

        from .collaborations import completed_collaborations
        from .live_work import creators_with_live_work

        collaborations.register(completed_collaborations)
        live_work.register(creators_with_live_work)
