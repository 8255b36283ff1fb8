from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from .site import sync_site_row

        # After every migrate (make run migrates at each start), the Site row allauth names in its
        # emails carries this product's name and address instead of "example.com".
        post_migrate.connect(sync_site_row, sender=self, dispatch_uid="marketplace.sync_site_row")
