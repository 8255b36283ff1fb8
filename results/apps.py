from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from brands import settings_sections
        from campaigns import hooks

        from . import listeners

        hooks.register("application_accepted", listeners.on_application_accepted)
        hooks.register("campaign_updated", listeners.on_campaign_updated)
        hooks.register_campaign_links(listeners.campaign_links)
        settings_sections.register(listeners.brand_settings_section)
