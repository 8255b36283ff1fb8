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
