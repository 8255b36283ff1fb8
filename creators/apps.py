from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreatorsConfig(AppConfig):
    name = "creators"
    verbose_name = _("Creators")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .cards import niches_changed
        from .models import Niche

        # the directory's cached filter forms list the niches (creators.cards.filters_html)
        post_save.connect(niches_changed, sender=Niche, dispatch_uid="directory_filters_niches")
        post_delete.connect(niches_changed, sender=Niche, dispatch_uid="directory_filters_niches_deleted")
