from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared base: the User model and what every app uses (upload policy, images, vetting states,
    rate limiter, encryption, client IP). Imports no domain app (docs/ARCHITECTURE.md).

    ``label = "marketplace"``: the User model, its table (``marketplace_user``), its migrations and
    ``AUTH_USER_MODEL = "marketplace.User"`` kept the label they had when this code lived in the
    ``marketplace`` package, so moving it needed no data migration.
    """

    name = "core"
    label = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .site import sync_site_row

        # After every migrate (make run migrates at each start), the Site row allauth names in its emails
        # carries this product's name and address instead of "example.com". Connected to this app, which
        # has models: Django sends post_migrate only to apps with a models module.
        post_migrate.connect(sync_site_row, sender=self, dispatch_uid="core.sync_site_row")
