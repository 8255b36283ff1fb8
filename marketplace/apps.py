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

    def ready(self) -> None:
        # core.media prints file URLs; who may see a private file is known up here (marketplace/media.py).
        from core import media as core_media

        from .media import private_file_viewable

        core_media.register_private_file_check(private_file_viewable)
