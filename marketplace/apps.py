from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    """The project package on top (settings, URLs, Celery, site-wide pages, management commands).

    Installed for its management commands and tasks; labelled ``project`` because the label
    ``marketplace`` belongs to ``core`` (the User model's app label, see core/apps.py).
    """

    name = "marketplace"
    label = "project"
    verbose_name = _("Site")
